// Every core serves (decision 013): `npm start` runs one HTTP worker per core with node's cluster
// module, all on the one SQLite file (WAL; every transaction that may write is immediate, so two
// processes wait for each other instead of failing). The primary serves nothing: it migrates the
// database and runs the background jobs (deadline sweep, freezing closed rounds) — so they run in
// exactly one process whatever happens to the workers — writes the workers' answer saves and
// submits (decision 023), forks the workers, replaces any that dies,
// drains them all on SIGINT/SIGTERM and replaces them one by one on SIGHUP (a rolling restart). Workers exit by themselves if the primary disappears
// (node's cluster: a worker whose IPC channel closes exits).
import cluster from "node:cluster";
import { availableParallelism } from "node:os";

/**
 * The workers' node flags: the primary's, plus 32 MiB semi-spaces for V8's young generation (16 by
 * default) unless a --max-semi-space-size is already given. A page render allocates a few MB that
 * die young; with bigger semi-spaces fewer objects survive to be copied and promoted. Quiz page, two
 * workers, four alternating pairs (`NODE_OPTIONS=--max-semi-space-size=32 npx tsx
 * tests/bench/quiz-profile.ts --workers 2`): 272–284 → 285–360 pages/s, 6.4–6.7 → 5.1–6.3 ms of CPU a
 * page; 64 MiB was no better than 16. It costs up to ~50 MB more memory a worker.
 */
export function workerExecArgv(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? "") {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((flag) => flag.startsWith("--max-semi-space-size"));
  return given ? execArgv : [...execArgv, "--max-semi-space-size=32"];
}

/** WEB_CONCURRENCY workers, by default one per core; 1 means no cluster (one process does all). */
export function webConcurrency(env = process.env) {
  const raw = env.WEB_CONCURRENCY;
  if (raw === undefined || raw.trim() === "") return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    console.error(`[cuocthi] WEB_CONCURRENCY phải là số nguyên từ 1 đến 256 (nhận được "${raw}")`);
    process.exit(2);
  }
  return n;
}

/**
 * In the primary: fork `count` workers and keep that many alive. SIGTERM/SIGINT drain every worker
 * (each answers what it received, app/.server/lifecycle.mjs) and exit 0 when all left cleanly, 1
 * otherwise. SIGHUP replaces the workers one at a time, the next only once its replacement is
 * listening, so the site serves throughout (`systemctl reload cuocthi`, an upgrade: README).
 */
export function superviseWorkers(count, port, { drainMs, text, onStop, flushLogs, serveMetrics }) {
  let stopping = false;
  let rolling = false;
  let announced = false;
  let unclean = false;
  serveMetrics();
  cluster.setupPrimary({ execArgv: workerExecArgv() });
  const fork = () => {
    const worker = cluster.fork();
    worker.startedAt = Date.now();
    return worker;
  };
  const exitOf = (worker) => new Promise((resolve) => (worker.isDead() ? resolve() : worker.once("exit", () => resolve())));
  /** Ask a worker to drain; kill it if it is still there after the drain time and a margin. */
  const stopWorker = (worker) => {
    worker.process.kill("SIGTERM");
    const timer = setTimeout(() => {
      if (worker.isDead()) return;
      console.error(text.workerForced(worker.process.pid));
      worker.process.kill("SIGKILL");
    }, drainMs + 3_000);
    timer.unref();
    return exitOf(worker).finally(() => clearTimeout(timer));
  };
  cluster.on("listening", (worker) => {
    worker.listened = true;
    if (announced) return;
    announced = true;
    console.log(text.started(`http://localhost:${port}`, count));
  });
  cluster.on("exit", (worker, code, signal) => {
    if (worker.failedToStart) return;
    // A worker still starting when the stop came has no SIGTERM handler yet and dies of the signal:
    // it had not listened, so it had received nothing and dropped nothing.
    const nothingToDrain = signal === "SIGTERM" && !worker.listened;
    if (code !== 0 && !nothingToDrain && (stopping || worker.replaced)) unclean = true;
    if (stopping) releaseIfAllLeft();
    if (stopping || worker.replaced) return;
    console.error(`[cuocthi] tiến trình ${worker.process.pid} dừng (${signal ?? code}); khởi động tiến trình thay thế`);
    // A worker that dies right after starting (a broken build, a bad setting) is not restarted in a tight loop.
    const young = Date.now() - (worker.startedAt ?? 0) < 5_000;
    setTimeout(
      () => {
        if (!stopping) fork();
      },
      young ? 2_000 : 0,
    );
  });
  for (let i = 0; i < count; i++) fork();

  // A stopping worker says "left" once it has closed its server (the cluster's own "close" goes
  // before it on the same channel, so the primary has taken it out of the round robin by then).
  // It answers with `Connection: close` and closes idle connections only after "close-connections":
  // at once when other workers still listen (a rolling restart, a worker stopped by hand), but in a
  // full stop only when every worker has left. The last to leave closes the listening socket
  // and drops the connections the primary had accepted and not yet handed to a worker; clients
  // told to reconnect before that would be among them (decision 015, "Stopping").
  const release = (worker) => {
    if (worker.released || !worker.isConnected()) return;
    worker.released = true;
    worker.send({ cuocthi: "close-connections" }, () => {});
  };
  const releaseIfAllLeft = () => {
    const live = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    if (live.every((w) => w.leftRoundRobin)) for (const w of live) release(w);
  };
  cluster.on("message", (worker, message) => {
    if (message?.cuocthi !== "left") return;
    worker.leftRoundRobin = true;
    if (stopping) releaseIfAllLeft();
    else release(worker);
  });

  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      const started = Date.now();
      console.log(text.stopping(signal));
      await Promise.all(Object.values(cluster.workers ?? {}).map((worker) => worker && stopWorker(worker)));
      if (unclean) console.error(text.forced(0, drainMs / 1000));
      else console.log(text.drained(Date.now() - started));
      onStop();
      await flushLogs();
      process.exit(unclean ? 1 : 0);
    });
  }

  process.on("SIGHUP", async () => {
    if (stopping || rolling) return;
    rolling = true;
    const old = Object.values(cluster.workers ?? {}).filter(Boolean);
    console.log(text.rollingStart(old.length));
    for (const worker of old) {
      if (stopping) break;
      if (worker.isDead()) continue;
      const fresh = fork();
      const ready = await new Promise((resolve) => {
        const failed = () => {
          fresh.failedToStart = true; // set before the cluster's "exit" handler runs: not re-forked
          resolve(false);
        };
        fresh.once("exit", failed);
        fresh.once("listening", () => {
          fresh.off("exit", failed);
          resolve(true);
        });
      });
      if (!ready) {
        console.error(text.rollingFailed(fresh.process.pid));
        break;
      }
      console.log(text.rollingStep(worker.process.pid, fresh.process.pid));
      worker.replaced = true;
      await stopWorker(worker);
    }
    if (!stopping) console.log(text.rollingDone(old.length));
    rolling = false;
  });
}
