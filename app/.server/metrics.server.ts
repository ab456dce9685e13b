/**
 * /metrics in Prometheus's text format (prom-client), for the office's monitoring (issue 13,
 * section 4; README, "Theo dõi"): requests per route (rate and latency), the event loop's delay
 * and the process's own figures, attempts in progress, answer saves and submissions, SQLite
 * errors by code (busy, full, read-only, I/O), and the age of the newest backup.
 *
 * With one worker per core each worker counts its own requests; the primary sums them with
 * prom-client's AggregatorRegistry when a worker asks for them over the cluster's IPC channel
 * (app/.server/cluster.mjs), so one scrape of any worker sees the whole server.
 * Who may read it: app/routes/metrics.ts.
 */
import cluster from "node:cluster";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { BlockList, isIP } from "node:net";
import { AggregatorRegistry, Counter, Gauge, Histogram, collectDefaultMetrics, register } from "prom-client";
import { sql } from "drizzle-orm";
import { defaultDatabasePath, getDb } from "../../db/client";
import { defaultBackupDir } from "./backup.server";
import { requireRole } from "./auth/session.server";
import { now } from "./clock.server";
import { ops } from "~/i18n/ops.vi";

declare global {
  var __cuocthiMetrics: ReturnType<typeof create> | undefined;
}

function create() {
  collectDefaultMetrics({ eventLoopMonitoringPrecision: 20 });
  // In a worker this sets up the answer to the primary's "send me your metrics" message.
  if (cluster.isWorker) new AggregatorRegistry();
  return {
    registry: register,
    requests: new Histogram({
      name: "cuocthi_http_request_duration_seconds",
      help: "Thời gian trả lời yêu cầu HTTP, theo route, phương thức và mã trạng thái (đếm = số yêu cầu).",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    saves: new Counter({ name: "cuocthi_answer_saves_total", help: "Câu trả lời đã lưu (được máy chủ nhận và trả lời thành công)." }),
    submits: new Counter({ name: "cuocthi_submits_total", help: "Bài thi thí sinh nộp (được chấp nhận)." }),
    sqliteErrors: new Counter({
      name: "cuocthi_sqlite_errors_total",
      help: "Lỗi SQLite theo mã (SQLITE_BUSY: chờ khoá quá lâu; SQLITE_FULL: hết chỗ đĩa; SQLITE_READONLY, SQLITE_IOERR…).",
      labelNames: ["code"] as const,
    }),
    attemptsInProgress: new Gauge({
      name: "cuocthi_attempts_in_progress",
      help: "Số bài thi đang làm (chưa nộp).",
      aggregator: "first",
      collect() {
        try {
          const row = getDb().get<{ n: number }>(sql`select count(*) as n from attempts where status = 'in_progress'`);
          this.set(row?.n ?? 0);
        } catch {
          // the database is the problem: sqlite errors and /healthz say so
        }
      },
    }),
    backupAge: new Gauge({
      name: "cuocthi_backup_age_seconds",
      help: "Tuổi của bản sao lưu mới nhất trong thư mục backups, giây (chưa có bản nào: tính như bản sao lưu từ năm 1970).",
      aggregator: "min",
      collect() {
        this.set(newestBackupAgeSeconds(defaultBackupDir(defaultDatabasePath())));
      },
    }),
  };
}

/** Starts collecting (the default metrics sample the event loop): called by the production server only. */
export function metrics() {
  // Keyed by prom-client's registry: a test runner that loads the module afresh gets fresh metrics.
  if (globalThis.__cuocthiMetrics?.registry !== register) globalThis.__cuocthiMetrics = create();
  return globalThis.__cuocthiMetrics;
}

/**
 * Seconds since the newest `cuocthi-*.sqlite` in `dir` was written. With none, the seconds since
 * 1970 (as if the last backup were that old): a finite number, because the cluster sends metrics
 * between processes as JSON, where +Inf becomes null and then 0 ("just backed up").
 */
export function newestBackupAgeSeconds(dir: string, at: number = now()): number {
  let newest = -Infinity;
  try {
    for (const name of readdirSync(dir)) {
      if (!/^cuocthi-.*\.sqlite$/.test(name)) continue;
      newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
    }
  } catch {
    // no backup folder yet
  }
  return Math.max(0, Math.round((at - (newest === -Infinity ? 0 : newest)) / 1000));
}

/** Counts an error by its SQLite code (on the error or its causes); returns the code or null. */
export function countSqliteError(error: unknown): string | null {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) {
      metrics().sqliteErrors.inc({ code });
      return code;
    }
  }
  return null;
}

/* ---------- who may read /metrics ---------- */

const NAMED: Record<string, [string, number, "ipv4" | "ipv6"][]> = {
  loopback: [
    ["127.0.0.0", 8, "ipv4"],
    ["::1", 128, "ipv6"],
  ],
  linklocal: [
    ["169.254.0.0", 16, "ipv4"],
    ["fe80::", 10, "ipv6"],
  ],
  uniquelocal: [
    ["10.0.0.0", 8, "ipv4"],
    ["172.16.0.0", 12, "ipv4"],
    ["192.168.0.0", 16, "ipv4"],
    ["fc00::", 7, "ipv6"],
  ],
};

/**
 * METRICS_ALLOW: comma-separated addresses, subnets (`10.1.2.0/24`) and the names `loopback`,
 * `linklocal`, `uniquelocal`, as TRUST_PROXY takes them; default `loopback`. `{ invalid }` names
 * the first entry that is none of those.
 */
export function metricsAllowList(raw: string | undefined): { allows: (ip: string) => boolean } | { invalid: string } {
  const list = new BlockList();
  for (const entry of (raw?.trim() || "loopback")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const named = NAMED[entry];
    if (named) {
      for (const [net, prefix, type] of named) list.addSubnet(net, prefix, type);
      continue;
    }
    const [address, prefix] = entry.split("/");
    const family = isIP(address ?? "");
    if (!family) return { invalid: entry };
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address!, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) return { invalid: entry };
      list.addSubnet(address!, bits, type);
    }
  }
  return {
    allows(ip: string) {
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
      const address = mapped ?? ip;
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

let allowCache: { raw: string | undefined; allow: ReturnType<typeof metricsAllowList> } | undefined;

/** METRICS_ALLOW checked at start-up (serve.mjs): the message when it is wrong, else null. */
export function metricsAllowProblem(raw: string | undefined = process.env.METRICS_ALLOW): string | null {
  const allow = metricsAllowList(raw);
  return "invalid" in allow ? ops.metrics.badAllow(allow.invalid) : null;
}

/**
 * The guard of /metrics: a client address on METRICS_ALLOW (the address Express derives with
 * TRUST_PROXY, so behind Caddy it is the real client's, never Caddy's loopback), or a logged-in admin.
 */
export async function requireMetricsReader(request: Request, clientIp: string | undefined): Promise<void> {
  const raw = process.env.METRICS_ALLOW;
  if (!allowCache || allowCache.raw !== raw) allowCache = { raw, allow: metricsAllowList(raw) };
  const { allow } = allowCache;
  if (clientIp && "allows" in allow && allow.allows(clientIp)) return;
  await requireRole(request, "admin");
}

/* ---------- the text ---------- */

const CLUSTER_REQUEST = "cuocthi:metrics-request";
const CLUSTER_REPLY = "cuocthi:metrics-reply";

/** The Prometheus text: this process's, or in a cluster worker the sum over all workers. */
export async function metricsText(): Promise<string> {
  metrics();
  if (!cluster.isWorker || !process.send) return register.metrics();
  const id = `${process.pid}-${process.hrtime.bigint()}-${Math.random()}`;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error("Tiến trình chính không trả lời số liệu trong 5 giây."));
    }, 5_000);
    const onMessage = (message: { type?: string; id?: string; text?: string; error?: string }) => {
      if (message?.type !== CLUSTER_REPLY || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? "");
    };
    process.on("message", onMessage);
    process.send!({ type: CLUSTER_REQUEST, id });
  });
}

export const metricsContentType = register.contentType;

/** In the cluster's primary: answer the workers' requests with the sum of every worker's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: { type?: string; id?: string }) => {
    if (message?.type !== CLUSTER_REQUEST) return;
    aggregator
      .clusterMetrics()
      .then((text) => worker.send({ type: CLUSTER_REPLY, id: message.id, text }))
      .catch((error: Error) => worker.send({ type: CLUSTER_REPLY, id: message.id, error: error.message }));
  });
}
