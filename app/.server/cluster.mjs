// Every core serves (decision 013): `npm start` runs one HTTP worker per core with node's cluster
// module, all on the one SQLite file (WAL; every transaction that may write is immediate, so two
// processes wait for each other instead of failing). The primary serves nothing: it migrates the
// database and runs the background jobs (deadline sweep, freezing closed rounds) — so they run in
// exactly one process whatever happens to the workers — forks the workers, replaces any that dies,
// and stops them all on SIGINT/SIGTERM. Workers exit by themselves if the primary disappears
// (node's cluster: a worker whose IPC channel closes exits).
import cluster from "node:cluster";
import { availableParallelism } from "node:os";

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

/** In the primary: fork `count` workers and keep that many alive until a stop signal. */
export function superviseWorkers(count, port) {
  let stopping = false;
  let announced = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.startedAt = Date.now();
  };
  cluster.on("listening", () => {
    if (announced) return;
    announced = true;
    console.log(`[cuocthi] http://localhost:${port} (${count} tiến trình phục vụ)`);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`[cuocthi] tiến trình ${worker.process.pid} dừng (${signal ?? code}); khởi động tiến trình thay thế`);
    // A worker that dies right after starting (a broken build, a bad setting) is not restarted in a tight loop.
    const young = Date.now() - (worker.startedAt ?? 0) < 5_000;
    setTimeout(fork, young ? 2_000 : 0);
  });
  for (let i = 0; i < count; i++) fork();
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const alive = Object.values(cluster.workers ?? {});
      if (alive.length === 0) process.exit(0);
      for (const worker of alive) worker?.process.kill("SIGTERM");
      setTimeout(() => process.exit(0), 6_000).unref();
    });
  }
}
