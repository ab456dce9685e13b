/**
 * The server's log (issue 13, section 4): one line of JSON per event with pino — a request line
 * with its id, route, status and duration; start-up, shutdown and job lines; an unexpected error
 * once, with its stack; an expected refusal (4xx, a 503 from full storage) without one.
 *
 * LOG_LEVEL (fatal, error, warn, info, debug; default info) says how much; LOG_FORMAT=pretty
 * prints short human lines instead (the demo uses it: `npm run demo` stays readable without
 * pino-pretty). In JSON mode lines are buffered (4 KiB, flushed every half second and at exit) so
 * the hot path does not pay a write system call per request.
 *
 * The production server (app/.server/serve.mjs) also sends `console.*` here, so the messages the
 * code already writes with console (the front door's refusals, storage failures, jobs) come out
 * as the same JSON lines; tests keep the plain console.
 */
import { format } from "node:util";
import pino, { type Logger } from "pino";

declare global {
  var __cuocthiLog: { logger: Logger; flush: () => Promise<void>; write: (line: string) => void } | undefined;
}

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);
const LABELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/** Short human lines for the demo and a terminal: `12:00:01 INFO POST /bai-thi/… 200 3 ms`. */
function prettyStream() {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        process.stdout.write(line);
        return;
      }
      const { level, time, msg, pid: _pid, err, ...rest } = entry;
      const stamp = new Date(typeof time === "number" ? time : Date.parse(String(time))).toTimeString().slice(0, 8);
      const extra = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" ");
      const stack = err && typeof err === "object" && "stack" in err ? `\n${String((err as { stack: unknown }).stack)}` : "";
      const out = Number(level) >= 40 ? process.stderr : process.stdout;
      out.write(`${stamp} ${LABELS[Number(level)] ?? level} ${msg ?? ""}${extra ? ` ${extra}` : ""}${stack}\n`);
    },
  };
}

let stampSecond = NaN;
let stampPrefix = "";
/**
 * pino's `isoTime` (`,"time":"2026-12-03T13:19:07.468Z"`) without a Date and its formatting for
 * every line: the text up to the second is made once a second, the milliseconds appended.
 * `at` is the wall clock's (a log line's time is the machine's, never a test's clock).
 */
export function isoTimestamp(at: number): string {
  const second = Math.floor(at / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stampPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  const ms = at - second * 1000;
  return `${stampPrefix}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z"`;
}

// eslint-disable-next-line no-restricted-properties -- the log's time is the machine's wall clock
const wallClock = () => Date.now();

function create(env: NodeJS.ProcessEnv) {
  const rawLevel = (env.LOG_LEVEL ?? "info").trim().toLowerCase();
  const level = LEVELS.has(rawLevel) ? rawLevel : "info";
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: () => isoTimestamp(wallClock()),
    // `err` with its stack; nothing else is transformed (the request line is built flat).
    serializers: { err: pino.stdSerializers.err },
  };
  if (env.LOG_FORMAT === "pretty") {
    const stream = prettyStream();
    return { logger: pino(options, stream), flush: () => Promise.resolve(), write: (line: string) => stream.write(line) };
  }
  // At most 1 MiB waits in memory: should stdout stop taking lines, the rest are dropped.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096, maxLength: 1 << 20 });
  // stdout's reader can go away (a pipe whose reader exited, a log collector restarted): writes
  // then fail with EPIPE. Without a listener that error would be thrown from the write's callback
  // and end the process in the middle of whatever it was doing (a drain included).
  destination.on("error", () => {});
  // Request lines (one a request, `requestLogger`) wait here and go to the destination 32 KiB at a
  // time (~150 lines): each write to sonic-boom measures its pending text again (Buffer.byteLength)
  // and each of its writes to stdout is a round trip through libuv's thread pool, which cost the
  // event loop more than the line itself when paid every few requests. Any other line (pino's)
  // hands the waiting request lines over first, so the log keeps its order.
  let batch = "";
  const handOver = () => {
    if (batch === "") return;
    const lines = batch;
    batch = "";
    destination.write(lines);
  };
  const timer = setInterval(() => {
    handOver();
    destination.flush();
  }, 500);
  timer.unref();
  const logger = pino(options, {
    write(line: string) {
      handOver();
      destination.write(line);
    },
  });
  if (level !== rawLevel) logger.warn(`LOG_LEVEL "${env.LOG_LEVEL}" không hợp lệ; dùng "info".`);
  return {
    logger,
    write: (line: string) => {
      batch += line;
      if (batch.length >= 32 << 10) handOver();
    },
    // Not sonic-boom's flushSync: on an error other than EAGAIN/EBUSY (EPIPE) version 4.2.1 retries
    // forever, and a stop whose log reader had gone never exited. The asynchronous flush reports
    // the error instead; it is waited for at most a second.
    flush: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        try {
          handOver();
          destination.flush(done);
        } catch {
          done(); // not open yet, or already closed: nothing more can be written anyway
        }
      }),
  };
}

/** The process's logger (created on first use from LOG_LEVEL and LOG_FORMAT). */
export function logger(env: NodeJS.ProcessEnv = process.env): Logger {
  globalThis.__cuocthiLog ??= create(env);
  return globalThis.__cuocthiLog.logger;
}

/** What one request line says (app/.server/observe.server.ts). */
export interface RequestLine {
  reqId: string;
  method: string;
  route: string;
  path: string;
  status: number;
  ms: number;
  ip: string | undefined;
}

/**
 * The request line, written as pino writes `logger.info(line, "request")` (`warn` from status
 * 500) — the same keys in the same order, the same level filter, the same stream — but from one
 * template instead of pino's walk over an object: it is written for every request.
 */
export function requestLogger(env: NodeJS.ProcessEnv = process.env): (line: RequestLine) => void {
  globalThis.__cuocthiLog ??= create(env);
  const { logger, write } = globalThis.__cuocthiLog;
  const pid = `,"pid":${process.pid}`;
  return (line) => {
    const level = line.status >= 500 ? 40 : 30;
    if (level < logger.levelVal) return;
    const ip = line.ip === undefined ? "" : `,"ip":${JSON.stringify(line.ip)}`;
    write(
      `{"level":${level}${isoTimestamp(wallClock())}${pid},"reqId":${JSON.stringify(line.reqId)},"method":${JSON.stringify(line.method)},` +
        `"route":${JSON.stringify(line.route)},"path":${JSON.stringify(line.path)},"status":${line.status},"ms":${line.ms}${ip},"msg":"request"}\n`,
    );
  };
}

/** Writes out buffered lines (waited for at most a second): called right before the process exits. */
export function flushLogs(): Promise<void> {
  return globalThis.__cuocthiLog?.flush() ?? Promise.resolve();
}

/** One console call as one log line: its text in `msg`, an Error among its arguments as `err`. */
function consoleLine(log: Logger, level: "info" | "warn" | "error", args: unknown[]): void {
  const err = args.find((a): a is Error => a instanceof Error);
  const text = args.map((a) => (err && a === err ? err.message : a));
  const msg = format(...(text as [unknown, ...unknown[]]));
  if (err) log[level]({ err }, msg);
  else log[level](msg);
}

/** In the production server: console.log/info/warn/error become log lines (see the header). */
export function routeConsoleToLogger(): void {
  const log = logger();
  console.log = (...args: unknown[]) => consoleLine(log, "info", args);
  console.info = console.log;
  console.warn = (...args: unknown[]) => consoleLine(log, "warn", args);
  console.error = (...args: unknown[]) => consoleLine(log, "error", args);
}
