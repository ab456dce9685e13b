/** The cluster workers' node flags (app/.server/cluster.mjs): a bigger young generation unless one is given. */
import { describe, expect, it } from "vitest";
import { workerExecArgv } from "../../app/.server/cluster.mjs";

describe("workerExecArgv", () => {
  it("adds 32 MiB semi-spaces to the primary's flags", () => {
    expect(workerExecArgv(["--enable-source-maps"], "")).toEqual(["--enable-source-maps", "--max-semi-space-size=32"]);
  });
  it("keeps a size given on the command line or in NODE_OPTIONS", () => {
    expect(workerExecArgv(["--max-semi-space-size=8"], "")).toEqual(["--max-semi-space-size=8"]);
    expect(workerExecArgv([], "--max-old-space-size=512 --max-semi-space-size=64")).toEqual([]);
  });
});
