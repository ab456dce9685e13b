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
  var __cuocthiLog: { logger: Logger; flush: () => Promise<void> } | undefined;
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

function create(env: NodeJS.ProcessEnv) {
  const rawLevel = (env.LOG_LEVEL ?? "info").trim().toLowerCase();
  const level = LEVELS.has(rawLevel) ? rawLevel : "info";
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // `err` with its stack; nothing else is transformed (the request line is built flat).
    serializers: { err: pino.stdSerializers.err },
  };
  if (env.LOG_FORMAT === "pretty") {
    return { logger: pino(options, prettyStream()), flush: () => Promise.resolve() };
  }
  // At most 1 MiB waits in memory: should stdout stop taking lines, the rest are dropped.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096, maxLength: 1 << 20 });
  // stdout's reader can go away (a pipe whose reader exited, a log collector restarted): writes
  // then fail with EPIPE. Without a listener that error would be thrown from the write's callback
  // and end the process in the middle of whatever it was doing (a drain included).
  destination.on("error", () => {});
  const timer = setInterval(() => destination.flush(), 500);
  timer.unref();
  const logger = pino(options, destination);
  if (level !== rawLevel) logger.warn(`LOG_LEVEL "${env.LOG_LEVEL}" không hợp lệ; dùng "info".`);
  return {
    logger,
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
