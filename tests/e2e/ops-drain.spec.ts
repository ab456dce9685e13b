/**
 * A deploy drops nothing (issue 13, section 1): the production server stopped with SIGTERM while
 * members save answers answers every request it has received (no reset), closes the database and
 * exits 0; one it cannot finish within DRAIN_TIMEOUT_SECONDS makes it exit 1; with one worker per
 * core a rolling restart (SIGHUP) replaces every worker while the load goes on, without one failed
 * request, and SIGTERM drains every worker. No browser; loopback only; each test a few seconds.
 */
import { expect, test } from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import {
  freePort,
  loadOf,
  member,
  rawRequest,
  sample,
  seedDatabase,
  startServer,
  stopServer,
  summary,
  until,
  type Member,
  type Server,
} from "./ops-server";

const MEMBERS = 12;
const COUNTED = 4;
const dir = join(import.meta.dirname, ".tmp", `ops-drain-${process.pid}`);
let databasePath = "";
let server: Server | null = null;

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000); // seeding took more than 30 s at a load average of 30
  // MEMBERS carry the load; the last COUNTED members save outside it (the metrics check below),
  // since the load fills its members' per-minute save limit, which every worker shares.
  databasePath = await seedDatabase(dir, MEMBERS + COUNTED);
});

test.afterEach(async () => {
  await stopServer(server);
  server = null;
});

test.afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The server's request log lines by request id (the load sends its own ids). */
function received(s: Server) {
  return new Map(s.lines.filter((l) => typeof l.reqId === "string").map((l) => [l.reqId as string, l]));
}

/**
 * Everything the app received is answered: no failed request has a line in the server's request
 * log (the app logs every request it has read when it ends, 499 if its connection was cut), and
 * no logged request has 499. Requests the app never read are counted (printed with the
 * figures). Their allowance, 2, covers what no server can answer: a connection the kernel had
 * completed but nobody had accepted when the listening socket closed, and a request sent on an
 * idle connection at the moment the process, quiet for IDLE_GRACE_MS, closed it (decision 015,
 * "Stopping"). Before the fixes of 03/12/2026 a two-worker SIGTERM under load had 13–14; since,
 * 0 in every phase of 6 runs in a row at a load average of 17–25.
 */
function expectNothingReceivedWasDropped(s: Server, result: Awaited<ReturnType<typeof underLoad>>, what: string) {
  const log = received(s);
  // The figures of every run, for the decision record: answered, refused, failed (never read).
  console.log(
    `${what}: ${JSON.stringify(result.byStatus)}; in flight at the signal ${result.inFlightAtSignal}; never read: ${JSON.stringify(
      result.failed.map((o) => `${o.error}@${o.sentAt - result.signalAt}ms`),
    )}`,
  );
  const droppedAfterReceipt = result.failed
    .filter((o) => log.has(o.id))
    .map((o) => ({ ...o, sentAfterSignalMs: o.sentAt - result.signalAt, server: log.get(o.id) ?? "never received" }));
  expect(droppedAfterReceipt, `no request the server had received was reset (${JSON.stringify(result.byStatus)})`).toEqual([]);
  expect(
    result.failed.filter((o) => o.error !== "ECONNRESET" && o.error !== "UND_ERR_SOCKET"),
    "only connection-level failures",
  ).toEqual([]);
  expect(
    [...log.values()].filter((l) => l.status === 499),
    "no request cut under the server",
  ).toEqual([]);
  expect(result.failed.length, "requests the app never read (see above)").toBeLessThanOrEqual(2);
}

/** Runs the load until `trigger` has been done and the server stops listening (or `until` is true). */
async function underLoad(s: Server, members: Member[], trigger: () => void, finished: () => boolean) {
  let stopAt = Infinity;
  const load = loadOf(s, members, 2, () => Date.now() > stopAt || finished());
  // Let the load build up: the server has requests in flight when the signal comes.
  await until(() => load.outcomes.filter((o) => o.status !== undefined).length > 150, 20_000, "the load is running");
  const inFlightAtSignal = load.outcomes.filter((o) => o.status === undefined && o.error === undefined).length;
  const signalAt = Date.now();
  trigger();
  stopAt = Date.now() + 60_000;
  await load.done;
  return { ...summary(load.outcomes), inFlightAtSignal, signalAt };
}

test("SIGTERM under load: every received request is answered, the database is closed, exit 0", async () => {
  server = await startServer(databasePath, { WEB_CONCURRENCY: "1", DRAIN_TIMEOUT_SECONDS: "20" });
  const s = server;
  const members = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => member(s, i)));
  const result = await underLoad(
    s,
    members,
    () => s.child.kill("SIGTERM"),
    () => false,
  );
  const code = await s.exited;

  expect(result.inFlightAtSignal, "requests were in flight when SIGTERM came").toBeGreaterThan(5);
  expectNothingReceivedWasDropped(s, result, "SIGTERM, one process");
  expect(result.byStatus["200"] ?? 0).toBeGreaterThan(150);
  expect(code, "exit code").toBe(0);
  expect(
    s.lines.some((l) => String(l.msg).includes("Đã trả lời hết")),
    "the drain is logged",
  ).toBe(true);
  // Closed cleanly: the last connection's close checkpoints and removes the WAL.
  expect(existsSync(`${databasePath}-wal`), "WAL removed by a clean close").toBe(false);
});

test("a request that does not finish within DRAIN_TIMEOUT_SECONDS: logged, exit 1", async () => {
  server = await startServer(databasePath, { WEB_CONCURRENCY: "1", DRAIN_TIMEOUT_SECONDS: "1" });
  const s = server;
  // A save whose body never fully arrives: the server has received it and waits for the rest.
  const socket = net.connect(s.port, "127.0.0.1");
  await new Promise((r) => socket.once("connect", r));
  socket.on("error", () => {});
  socket.write(
    `POST /bai-thi/x/tra-loi HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nOrigin: http://127.0.0.1:${s.port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nposition=0`,
  );
  // Answered after the stuck request was read (one event loop, in order).
  expect((await fetch(s.url("/healthz"))).status).toBe(200);
  const startedAt = Date.now();
  s.child.kill("SIGTERM");
  const code = await s.exited;
  socket.destroy();

  expect(code, "a forced stop is not a clean exit").toBe(1);
  expect(Date.now() - startedAt, "it waited about DRAIN_TIMEOUT_SECONDS").toBeGreaterThanOrEqual(900);
  expect(
    s.lines.some((l) => String(l.msg).includes("buộc dừng")),
    "the forced stop is logged",
  ).toBe(true);
});

test("one worker per core: a rolling restart under load drops no received request; SIGTERM drains every worker", async () => {
  server = await startServer(databasePath, { WEB_CONCURRENCY: "2", DRAIN_TIMEOUT_SECONDS: "20" });
  const s = server;
  const members = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => member(s, i)));
  const before = s.workerPids();
  expect(before).toHaveLength(2);

  const rolled = () => s.lines.some((l) => String(l.msg).includes("Đã thay xong"));
  let rolledAt = 0;
  const restart = await underLoad(
    s,
    members,
    () => s.child.kill("SIGHUP"),
    () => {
      if (!rolledAt && rolled()) rolledAt = Date.now();
      // Keep the load on a moment after the last old worker left.
      return rolledAt > 0 && Date.now() - rolledAt > 500;
    },
  );
  expect(rolledAt, "the rolling restart finished").toBeGreaterThan(0);
  // The listener stays open throughout; what may fail is only the keep-alive race (decision 015).
  expectNothingReceivedWasDropped(s, restart, "SIGHUP, two workers");
  expect(restart.refused, "the site kept listening").toBe(0);
  expect(restart.byStatus["200"] ?? 0).toBeGreaterThan(300);
  const after = s.workerPids();
  expect(after).toHaveLength(2);
  expect(
    after.filter((pid) => before.includes(pid)),
    "every worker replaced",
  ).toEqual([]);

  // /metrics sums every worker (the primary aggregates): 24 saves, each on a connection of its
  // own so the cluster spreads them over both workers, add exactly 24 whichever worker answers.
  const SAVES = 'cuocthi_http_request_duration_seconds_count{route="/bai-thi/:attemptId/tra-loi",method="POST",status="200"}'.split("{");
  const saved = async () =>
    sample((await rawRequest({ port: s.port, method: "GET", path: "/metrics" })).body, SAVES[0]!, SAVES[1]!.slice(0, -1));
  const counted = await Promise.all(Array.from({ length: COUNTED }, (_, i) => member(s, MEMBERS + i)));
  const before24 = await saved();
  for (let i = 0; i < 24; i++) {
    const m = counted[i % counted.length]!;
    const reply = await rawRequest({
      port: s.port,
      method: "POST",
      path: `/bai-thi/${m.attemptId}/tra-loi`,
      headers: {
        Origin: `http://127.0.0.1:${s.port}`,
        Host: `127.0.0.1:${s.port}`,
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: m.cookie,
        Accept: "application/json",
      },
      body: new URLSearchParams({
        position: "0",
        option: String(m.options[0]![i % m.options[0]!.length]),
        chosenAt: String(Date.now()),
      }).toString(),
    });
    expect(reply.status, reply.body).toBe(200);
  }
  expect((await saved()) - before24, "saves counted over both workers").toBe(24);

  // Then stop the whole cluster under load.
  const stop = await underLoad(
    s,
    members,
    () => s.child.kill("SIGTERM"),
    () => false,
  );
  const code = await s.exited;
  expectNothingReceivedWasDropped(s, stop, "SIGTERM, two workers");
  expect(code, "exit code of the primary").toBe(0);
  expect(s.workerPids()).toEqual([]);
});

/** Waits for the process to exit, at most `ms`; null if it is still running (then killed). */
async function exitWithin(child: ChildProcess, exited: Promise<number | null>, ms: number): Promise<number | null | "still running"> {
  const outcome = await Promise.race([exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), ms))]);
  if (outcome === "still running") child.kill("SIGKILL");
  return outcome;
}

test("a stop whose log reader has gone (stdout a broken pipe) still drains every worker and ends", async () => {
  // Found with the event-loop bench, which exits right after sending SIGTERM: its server's primary
  // then looped for ever in the log's final synchronous flush (sonic-boom 4.2.1 retries EPIPE).
  // The same here: a launcher process starts the server with stdout and stderr piped to itself,
  // waits until it answers, sends SIGTERM and exits, leaving the server's log with no reader.
  const port = await freePort();
  const launcher = `
    import { spawn } from "node:child_process";
    const server = spawn(process.execPath, ["app/.server/serve.mjs"], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    server.stdout.on("data", () => {});
    server.stderr.on("data", () => {});
    for (let i = 0; i < 240; i++) {
      const ok = await fetch("http://127.0.0.1:${port}/healthz").then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    server.kill("SIGTERM");
    process.stdout.write(String(server.pid));
    process.exit(0);`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", launcher], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: databasePath, PORT: String(port), WEB_CONCURRENCY: "2" },
    encoding: "utf8",
    timeout: 90_000,
  });
  const pid = Number(out.trim());
  expect(pid).toBeGreaterThan(0);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const ended = await until(() => !alive(), 15_000, "the server ends").then(
    () => true,
    () => false,
  );
  if (!ended) process.kill(pid, "SIGKILL");
  expect(ended, "the server (its primary and workers) ended within 15 s of SIGTERM").toBe(true);
});

test("SIGTERM while a worker is still starting: nothing was received, so the stop is clean (exit 0)", async () => {
  // The second worker may not have its SIGTERM handler yet and dies of the signal; before the fix
  // that counted as an unclean stop (exit 1, "forced") in about two runs out of three.
  for (let run = 0; run < 3; run++) {
    const port = await freePort();
    const child = spawn(process.execPath, ["app/.server/serve.mjs"], {
      env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: databasePath, PORT: String(port), WEB_CONCURRENCY: "2" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // The first worker to listen answers; the second is usually still loading.
    await until(
      async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200,
      60_000,
      "the first worker listens",
    );
    child.kill("SIGTERM");
    expect(await exitWithin(child, exited, 15_000), `run ${run}: exit code of the primary\n${output}`).toBe(0);
  }
});
