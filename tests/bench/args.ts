/** Command-line flags of the benchmark scripts: `--name value` or `--name=value`. */
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(benchDir, "..", "..");
export const defaultDbPath = join(benchDir, ".tmp", "bench.sqlite");

export function parseArgs(argv: string[], known: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = { ...known };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      console.log(
        `Flags (defaults): ${Object.entries(known)
          .map(([k, v]) => `--${k} ${v}`)
          .join("  ")}`,
      );
      process.exit(0);
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !(match[1]! in known)) {
      console.error(
        `Unknown argument ${arg}. Known: ${Object.keys(known)
          .map((k) => `--${k}`)
          .join(", ")}`,
      );
      process.exit(2);
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) {
      console.error(`--${match[1]} needs a value`);
      process.exit(2);
    }
    values[match[1]!] = value;
  }
  return values;
}

export function positiveInt(values: Record<string, string>, name: string, max: number): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`--${name} must be a whole number from 1 to ${max} (got ${values[name]})`);
    process.exit(2);
  }
  return n;
}

/** Which code is measured: the commit and the files changed since (read-only git commands). */
export function codeVersion(): { commit: string; changedFiles: string[] } {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trimEnd();
    } catch {
      return "";
    }
  };
  return {
    commit: git("log", "-1", "--format=%h %ci %s") || "unknown",
    changedFiles: git("status", "--porcelain", "--untracked-files=no")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3)),
  };
}

/** What generate.ts tells run.ts about the database it made, stored next to it. */
export interface BenchMeta {
  createdAt: string;
  members: number;
  contestId: string;
  roundNumber: number;
  roundId: number;
  practiceContestId: string;
  quizMembers: { phones: string[]; password: string };
  judge: { phone: string; password: string };
  timings: Record<string, number>;
  databaseBytes: number;
  code: ReturnType<typeof codeVersion>;
}

export const metaPath = (dbPath: string) => `${dbPath}.bench.json`;
