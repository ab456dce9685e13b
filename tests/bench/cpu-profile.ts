/**
 * Reading the `node --cpu-prof` files of a bench script's server (quiz-profile.ts, write-profile.ts):
 * only the samples taken under the measured load, their self time by package, by function and by
 * node internal module, the inclusive time by function, and a printer of shares of busy samples.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
};

export interface ProfileSummary {
  /** Samples under the load, and those not idle. */
  total: number;
  busy: number;
  byWhere: Map<string, number>;
  byFunction: Map<string, number>;
  byNodeModule: Map<string, number>;
  /** A function's own samples and its callees', once per stack (recursion). */
  inclusive: Map<string, number>;
  /** Self samples of the functions with these names in the packages for which `at` is true. */
  selfOf: (names: Set<string>, at: (where: string) => boolean) => number;
  /** Prints a map's largest entries as shares of the busy samples. */
  show: (title: string, map: Map<string, number>, count: number) => void;
}

/**
 * Every profile in `dir` (each process's main thread), restricted to the samples taken between
 * `from` and `to` (`process.hrtime.bigint()` values, as the profiles' clock); `root` is the
 * repository's path, cut from the app's own file names.
 */
export function summarizeProfiles(dir: string, from: bigint, to: bigint, root: string): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error(`no profile written in ${dir}`);
  const fromUs = Number(from / 1000n);
  const toUs = Number(to / 1000n);
  const where = (url: string, name: string) => {
    if (name === "(idle)" || name === "(program)" || name === "(garbage collector)") return name;
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    if (pkg) return pkg;
    if (url.includes("/build/server/")) return "app (build/server)";
    if (url.startsWith("node:")) return "node internals";
    return url ? url.replace(root, "") : "(native)";
  };
  const label = (node: ProfileNode) =>
    `${node.callFrame.functionName || "(anonymous)"} ${where(node.callFrame.url, node.callFrame.functionName)}:${node.callFrame.lineNumber + 1}`;
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  const byWhere = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byNodeModule = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const selfHits: { node: ProfileNode; where: string; n: number }[] = [];
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
      nodes: ProfileNode[];
      samples: number[];
      timeDeltas: number[];
      startTime: number;
    };
    const hits = new Map<number, number>();
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      at += profile.timeDeltas[i]!;
      if (at < fromUs || at > toUs) return;
      total++;
      hits.set(id, (hits.get(id) ?? 0) + 1);
    });
    for (const node of profile.nodes) {
      const n = hits.get(node.id) ?? 0;
      if (!n) continue;
      const w = where(node.callFrame.url, node.callFrame.functionName);
      add(byWhere, w, n);
      add(byFunction, label(node), n);
      if (node.callFrame.url.startsWith("node:")) add(byNodeModule, node.callFrame.url, n);
      selfHits.push({ node, where: w, n });
    }
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const walk = (node: ProfileNode, open: Set<string>): number => {
      let sum = hits.get(node.id) ?? 0;
      const name = label(node);
      const outer = !open.has(name);
      if (outer) open.add(name);
      for (const child of node.children ?? []) sum += walk(byId.get(child)!, open);
      if (outer) {
        open.delete(name);
        add(inclusive, name, sum);
      }
      return sum;
    };
    walk(profile.nodes[0]!, new Set());
  }
  for (const name of ["(root)", "(program)", "(idle)", "(garbage collector)"])
    for (const key of inclusive.keys()) if (key.startsWith(`${name} `)) inclusive.delete(key);
  const busy = total - (byWhere.get("(idle)") ?? 0);
  return {
    total,
    busy,
    byWhere,
    byFunction,
    byNodeModule,
    inclusive,
    selfOf: (names, at) => selfHits.filter((h) => at(h.where) && names.has(h.node.callFrame.functionName)).reduce((sum, h) => sum + h.n, 0),
    show: (title, map, count) => {
      console.log(`\n${title} (share of busy samples, ${busy} of ${total})`);
      for (const [key, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
        if (!key.startsWith("(idle)")) console.log(`${((100 * n) / busy).toFixed(1).padStart(5)} %  ${key}`);
      }
    },
  };
}
