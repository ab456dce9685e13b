/**
 * The route-matching patch of the server build (vite.route-match-cache.ts, decision 022):
 * the patched `@remix-run/router` computes a routes array's ranked branches once and reuses them,
 * matches every URL of this app's real route tree exactly as the unpatched module does, and the
 * patch refuses (the build fails) when the upstream code it replaces has changed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as upstream from "@remix-run/router";
import { PATCH_MARKER, patchRouterSource } from "../../vite.route-match-cache";
import remixConfig from "../../remix.config.js";

type RouteObject = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children: RouteObject[] };
type Router = typeof upstream;

const require = createRequire(import.meta.url);
const ROUTER_ESM = join(require.resolve("@remix-run/router"), "..", "router.js");
const ROUTER_CJS = require.resolve("@remix-run/router");

let dir: string;
let patched: Router;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "route-match-"));
  const file = join(dir, "router.patched.mjs");
  const source = readFileSync(ROUTER_ESM, "utf8").replace(/\/\/# sourceMappingURL=.*$/m, "");
  writeFileSync(file, patchRouterSource(source, ROUTER_ESM));
  patched = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Router;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean };

/** The app's route tree as Remix's server runtime builds it (root + app/routes, flat routes). */
function appRoutes(): RouteObject[] {
  const { flatRoutes } = require("@remix-run/dev/dist/config/flat-routes.js") as {
    flatRoutes: (appDirectory: string, ignored: string[]) => Record<string, ManifestRoute>;
  };
  const manifest: Record<string, ManifestRoute> = {
    root: { id: "root", path: "" },
    ...flatRoutes(join(import.meta.dirname, "../../app"), remixConfig.ignoredRouteFiles),
  };
  const byParent = new Map<string, ManifestRoute[]>();
  for (const route of Object.values(manifest)) {
    const parent = route.id === "root" ? "" : (route.parentId ?? "root");
    byParent.set(parent, [...(byParent.get(parent) ?? []), route]);
  }
  const build = (parent: string): RouteObject[] =>
    (byParent.get(parent) ?? []).map((r) => ({
      id: r.id,
      path: r.path,
      index: r.index,
      caseSensitive: r.caseSensitive,
      children: build(r.id),
    }));
  return build("");
}

/** Every route's full path, and URLs that exercise it: plain, trailing slash, other case, encoded. */
function urlsFor(routes: RouteObject[]): string[] {
  const urls = new Set<string>([
    "/",
    "",
    "//",
    "/khong-co-trang-nay",
    "/bai-thi",
    "/bai-thi/",
    "/bai-thi/a/b/c/d",
    "/%E0%A4%A",
    "/cuoc-thi/x/anh-chia-se.png",
    "/cuoc-thi/x/anh-chia-se-png",
  ]);
  const walk = (list: RouteObject[], parent: string) => {
    for (const route of list) {
      const full = route.path ? `${parent}/${route.path}`.replace(/\/+/g, "/") : parent;
      const sample = full.replace(/:([\w-]+)/g, "x-$1").replace(/\*$/, "a/b") || "/";
      urls.add(sample);
      urls.add(`${sample}/`);
      urls.add(sample.toUpperCase());
      urls.add(`${sample}/thua`);
      urls.add(sample.replace(/x-(\w+)/g, "%C4%91%E1%BB%81-thi"));
      walk(route.children, full);
    }
  };
  walk(routes, "");
  return [...urls];
}

function summary(router: Router, routes: RouteObject[], url: string) {
  const matches = router.matchRoutes(routes as never, url);
  return (
    matches?.map((m) => ({ id: (m.route as RouteObject).id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null
  );
}

describe("the patched route matching", () => {
  it("is the module the build bundles, patched once, and a second patch is a no-op", () => {
    const source = readFileSync(ROUTER_ESM, "utf8");
    const once = patchRouterSource(source);
    expect(once).toContain(PATCH_MARKER);
    expect(once).toContain("__cuocthiRankedBranches(routes)");
    expect(once).not.toContain("let branches = flattenRoutes(routes);\n  rankRouteBranches(branches);");
    expect(once).toContain("__cuocthiRemember(branches, decoded, allowPartial, i)");
    expect(patchRouterSource(once)).toBe(once);
    // The CommonJS build has the same code: whichever file Vite resolves is patched.
    expect(patchRouterSource(readFileSync(ROUTER_CJS, "utf8"))).toContain(PATCH_MARKER);
  });

  it("matches every URL of the app's route tree exactly as the unpatched module, call after call", () => {
    const routes = appRoutes();
    expect(routes[0]!.id).toBe("root");
    const count = (list: RouteObject[]): number => list.reduce((n, r) => n + 1 + count(r.children), 0);
    expect(count(routes)).toBeGreaterThan(35); // root and every file of app/routes
    const urls = urlsFor(routes);
    vi.spyOn(console, "warn").mockImplementation(() => {}); // the router's warning for "/%E0%A4%A", both modules
    expect(urls.length).toBeGreaterThan(150);
    for (let round = 0; round < 3; round++) {
      for (const url of urls)
        expect({ url, matches: summary(patched, routes, url) }).toEqual({ url, matches: summary(upstream, routes, url) });
    }
  });

  it("sends the app's URLs to the right routes (a table of URL → leaf route)", () => {
    const routes = appRoutes();
    const leaf = (url: string) => summary(patched, routes, url)?.at(-1)?.id ?? null;
    const table: Record<string, string> = {
      "/": "routes/_index",
      "/bai-thi/abc": "routes/bai-thi.$attemptId._index",
      "/bai-thi/abc/": "routes/bai-thi.$attemptId._index",
      "/bai-thi/abc/tra-loi": "routes/bai-thi.$attemptId.tra-loi",
      "/bai-thi/abc/ket-qua": "routes/bai-thi.$attemptId.ket-qua",
      "/cuoc-thi/thi-thu": "routes/cuoc-thi.$contestId._index",
      "/cuoc-thi/thi-thu/anh-chia-se.png": "routes/cuoc-thi.$contestId.anh-chia-se[.]png",
      "/cuoc-thi/thi-thu/vong/2": "routes/cuoc-thi.$contestId.vong.$roundNumber",
      "/to-chuc": "routes/to-chuc._index",
      "/to-chuc/don-vi": "routes/to-chuc.don-vi",
      "/DANG-NHAP": "routes/dang-nhap",
      "/healthz": "routes/healthz",
      "/khong-co-trang-nay": "routes/$",
      "/bai-thi/abc/tra-loi/x": "routes/$",
    };
    for (const [url, id] of Object.entries(table)) expect({ url, id: leaf(url) }).toEqual({ url, id });
    expect(summary(patched, routes, "/bai-thi/m%E1%BB%99t")!.at(-1)!.params).toEqual({ attemptId: "một" });
  });

  it("computes a routes array's branches once: the second call reuses the first call's ranking", () => {
    const routes: RouteObject[] = [{ id: "a", path: "a", children: [] }];
    expect(summary(patched, routes, "/b")).toBeNull();
    // The cache is keyed by the array: a route added in place afterwards is not seen by the patched
    // module (which is why the server's route arrays are never changed after they are built) …
    routes.push({ id: "b", path: "b", children: [] });
    expect(summary(patched, routes, "/b")).toBeNull();
    // … while the unpatched module flattens again on every call and finds it.
    expect(summary(upstream, routes, "/b")?.[0]?.id).toBe("b");
    // A new array is a new tree.
    expect(summary(patched, [...routes], "/b")?.[0]?.id).toBe("b");
  });

  it("remembers which branch matched a pathname, and still answers with new objects each time", () => {
    const routes = appRoutes();
    const first = patched.matchRoutes(routes as never, "/bai-thi/abc")!;
    (first.at(-1)!.params as Record<string, string>).attemptId = "changed by a caller";
    const second = patched.matchRoutes(routes as never, "/bai-thi/abc")!;
    expect(second).not.toBe(first);
    expect(second.at(-1)!.params).toEqual({ attemptId: "abc" });
    expect(second.map((m) => (m.route as RouteObject).id)).toEqual(["root", "routes/bai-thi.$attemptId._index"]);
    // The remembered branch is the first that matched: an earlier branch that starts matching later
    // cannot happen (the branches are fixed), and another pathname scans on its own.
    expect(patched.matchRoutes(routes as never, "/bai-thi/abc/ket-qua")!.at(-1)!.route.id).toBe("routes/bai-thi.$attemptId.ket-qua");
  });

  it("compiles each pattern once and the cached RegExp keeps no state between matches", () => {
    const first = patched.matchPath({ path: "/x/:id", caseSensitive: false, end: true }, "/x/1");
    const again = patched.matchPath({ path: "/x/:id", caseSensitive: false, end: true }, "/x/2");
    expect(first?.params).toEqual({ id: "1" });
    expect(again?.params).toEqual({ id: "2" });
    // Same path, other options: other entries.
    expect(patched.matchPath({ path: "/x/:id", caseSensitive: true, end: true }, "/X/1")).toBeNull();
    expect(patched.matchPath({ path: "/x/:id", caseSensitive: false, end: false }, "/x/1/more")?.pathname).toBe("/x/1");
    expect(patched.matchPath("/x/:id", "/x/1/more")).toBeNull();
  });

  it("fails loudly when the upstream code it replaces has changed shape", () => {
    const source = readFileSync(ROUTER_ESM, "utf8");
    const renamed = source.replace("let branches = flattenRoutes(routes);", "let branches = flattenAllRoutes(routes);");
    expect(() => patchRouterSource(renamed, "router.js")).toThrow(
      /router\.js: the code to patch \(flattenRoutes \+ rankRouteBranches in matchRoutesImpl\) is not found exactly once/,
    );
    const noCompile = source.replace("function compilePath(path, caseSensitive, end) {", "function compilePath(path, options) {");
    expect(() => patchRouterSource(noCompile)).toThrow(/function compilePath/);
    const noScan = source.replace(
      "matches = matchRouteBranch(branches[i], decoded, allowPartial);",
      "matches = matchBranch(branches[i], decoded);",
    );
    expect(() => patchRouterSource(noScan)).toThrow(/the branch scan of matchRoutesImpl/);
    const twice = `${source}\nfunction compilePath(path, caseSensitive, end) {}`;
    expect(() => patchRouterSource(twice)).toThrow(/not found exactly once/);
  });
});
