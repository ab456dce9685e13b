/**
 * For the operating tests (ops-*.spec.ts): the production server on a database of its own with
 * members who have an attempt open, its log lines as they come, and a load of answer saves that
 * records, for every request, whether it got an HTTP answer or how the connection failed.
 */
import { expect } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { branches, users } from "../../db/schema";
import { seedDemoAccounts, seedPracticeContest, PRACTICE_CONTEST_ID } from "~/.server/demo/seed-demo.server";
import { hashPassword } from "~/.server/auth/password.server";
import { importContentDir } from "~/.server/content/pipeline.server";

export const PASSWORD = "vanhanh1234";
export const phoneOf = (i: number) => `09700000${String(i).padStart(2, "0")}`;

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => done(port));
    });
  });
}

export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

/** A database with content/, the demo accounts, the practice round open, and `members` members. */
export async function seedDatabase(dir: string, members: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const databasePath = join(dir, "ops.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  const now = Date.now();
  const db = openDatabase(databasePath);
  const imported = importContentDir(db, { now });
  if (!imported.ok) throw new Error("content/ did not import");
  await seedDemoAccounts(db, now);
  seedPracticeContest(db, now);
  const passwordHash = await hashPassword(PASSWORD);
  const unit = db.select().from(branches).orderBy(asc(branches.position)).get()!;
  for (let i = 0; i < members; i++) {
    const fullName = `Thí sinh vận hành ${i + 1}`;
    db.insert(users)
      .values({
        id: randomUUID(),
        phone: phoneOf(i),
        fullName,
        searchName: fullName.toLowerCase(),
        passwordHash,
        districtId: unit.districtId,
        branchId: unit.id,
        role: "member",
        createdAt: now,
      })
      .run();
  }
  db.$client.close();
  return databasePath;
}

export interface Server {
  child: ChildProcess;
  port: number;
  url: (path: string) => string;
  /** Every log line so far, parsed (JSON) or as text. */
  lines: { msg?: string; [key: string]: unknown }[];
  exited: Promise<number | null>;
  workerPids: () => number[];
}

export async function startServer(databasePath: string, env: Record<string, string>, port?: number): Promise<Server> {
  port ??= await freePort();
  const child = spawn(process.execPath, ["app/.server/serve.mjs"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: databasePath, PORT: String(port), SECURE_COOKIES: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Server["lines"] = [];
  let pending = "";
  const onData = (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split("\n");
    pending = parts.pop()!;
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line) as Server["lines"][number]);
      } catch {
        lines.push({ msg: line });
      }
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  const workerPids = () => {
    try {
      return readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const expected = Number(env.WEB_CONCURRENCY ?? "1");
  // Starting takes 2–3 s on a quiet machine and more than 20 s at a load average of 25.
  await until(
    async () => (await fetch(url("/healthz")).catch(() => null))?.status === 200 && (expected === 1 || workerPids().length === expected),
    60_000,
    "the server answers /healthz",
  ).catch((error: unknown) => {
    // Not left running after the test (the caller never gets it to stop).
    child.kill("SIGKILL");
    throw error;
  });
  return { child, port, url, lines, exited, workerPids };
}

export async function stopServer(server: Server | null) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill("SIGTERM");
  await Promise.race([server.exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
}

export interface Member {
  cookie: string;
  attemptId: string;
  options: number[][];
}

const formHeaders = (server: Server, cookie?: string) => ({
  Origin: `http://127.0.0.1:${server.port}`,
  "Content-Type": "application/x-www-form-urlencoded",
  ...(cookie ? { Cookie: cookie } : {}),
});

/** Logs member `i` in and starts the practice round: the cookie, the attempt and its options. */
export async function member(server: Server, i: number): Promise<Member> {
  const login = await fetch(server.url("/dang-nhap"), {
    method: "POST",
    redirect: "manual",
    headers: formHeaders(server),
    body: new URLSearchParams({ phone: phoneOf(i), password: PASSWORD }),
  });
  expect(login.status, "login").toBe(302);
  const cookie = /^(cuocthi_session=[^;]+)/.exec(login.headers.getSetCookie().find((c) => c.startsWith("cuocthi_session=")) ?? "")?.[1];
  const start = await fetch(server.url(`/cuoc-thi/${PRACTICE_CONTEST_ID}/vong/1`), {
    method: "POST",
    redirect: "manual",
    headers: formHeaders(server, cookie),
    body: "intent=start",
  });
  const attemptId = /\/bai-thi\/([^/?]+)/.exec(start.headers.get("location") ?? "")?.[1];
  expect(attemptId, "attempt started").toBeTruthy();
  const html = await (await fetch(server.url(`/bai-thi/${attemptId}`), { headers: { Cookie: cookie! } })).text();
  const options: number[][] = [];
  for (const m of html.matchAll(/<input[^>]*\bname="q-(\d+)"[^>]*\bvalue="(\d+)"/g)) (options[Number(m[1])] ??= []).push(Number(m[2]));
  expect(options.length, "questions on the quiz page").toBeGreaterThan(1);
  return { cookie: cookie!, attemptId: attemptId!, options };
}

export interface Outcome {
  /** Sent as X-Request-Id: the server's request log line carries it. */
  id: string;
  sentAt: number;
  /** The HTTP status, or the connection error's code. */
  status?: number;
  error?: string;
}

/** The error code under fetch's TypeError ("fetch failed"): ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET… */
function errorCode(error: unknown): string {
  let e = error as { code?: string; cause?: unknown; name?: string } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e.code) return e.code;
    e = e.cause as typeof e;
  }
  return (error as Error)?.name ?? String(error);
}

/**
 * Members save answers (and every fourth request reloads the quiz page, a streamed HTML answer)
 * as fast as the server answers, `perMember` requests at a time each, until `stop()` says so. A
 * loop ends at its first refused connection (the server no longer listens). The client waits up to
 * 60 s for an answer: the tests are about answers that never come, not slow ones (a quiz page took
 * 15 s on a new worker while other work kept the 2 cores at a load average of 25).
 */
let sequence = 0;

export function loadOf(server: Server, members: Member[], perMember: number, stop: () => boolean) {
  const outcomes: Outcome[] = [];
  // Ids run on across every load of the test process: a test that runs two loads on one server
  // must not find the first load's log line under a request of the second.
  const loops = members.flatMap((m) =>
    Array.from({ length: perMember }, async (_, lane) => {
      for (let n = lane; !stop(); n += perMember) {
        const outcome: Outcome = { id: `load-${++sequence}`, sentAt: Date.now() };
        outcomes.push(outcome);
        try {
          let reply: Response;
          if (n % 4 === 3) {
            reply = await fetch(server.url(`/bai-thi/${m.attemptId}`), {
              headers: { Cookie: m.cookie, "X-Request-Id": outcome.id },
              signal: AbortSignal.timeout(60_000),
            });
          } else {
            const position = n % m.options.length;
            const choices = m.options[position]!;
            reply = await fetch(server.url(`/bai-thi/${m.attemptId}/tra-loi`), {
              method: "POST",
              headers: { ...formHeaders(server, m.cookie), Accept: "application/json", "X-Request-Id": outcome.id },
              body: new URLSearchParams({
                position: String(position),
                option: String(choices[n % choices.length]),
                chosenAt: String(Date.now()),
              }),
              signal: AbortSignal.timeout(60_000),
            });
          }
          await reply.arrayBuffer();
          outcome.status = reply.status;
        } catch (error) {
          outcome.error = errorCode(error);
          if (outcome.error === "ECONNREFUSED") return;
        }
      }
    }),
  );
  return { outcomes, done: Promise.all(loops) };
}

/** What the outcomes say, for the assertions and their messages. */
export function summary(outcomes: Outcome[]) {
  const byStatus: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status !== undefined ? String(o.status) : (o.error ?? "?");
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  const answered = outcomes.filter((o) => o.status !== undefined).length;
  // Refused: the server no longer listened, so the request never reached it (the client may retry).
  const refused = outcomes.filter((o) => o.error === "ECONNREFUSED").length;
  const failed = outcomes.filter((o) => o.error !== undefined && o.error !== "ECONNREFUSED");
  return { answered, refused, failed, byStatus };
}

/** One request on a connection of its own (no keep-alive), optionally from a given local address. */
export function rawRequest(options: {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  from?: string;
}) {
  const { port, method, path, headers = {}, body, from } = options;
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        localAddress: from,
        method,
        path,
        agent: false,
        headers: { ...headers, ...(body ? { "Content-Length": Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The value of one sample in Prometheus text (`name{labels} value`), 0 when absent. */
export function sample(text: string, name: string, labels: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && labels.split(",").every((label) => l.includes(label)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}
