/**
 * Every core serves (decision 013): the production server with WEB_CONCURRENCY=2 on a database of
 * its own. The workers hand their answer saves and submits to the primary, the one writer
 * (decision 023): the rules hold across the processes, and what the writer gives back goes the full
 * way in the worker. Members save answers through the quiz's JSON route while one worker is killed
 * (SIGKILL): no acknowledged save is lost, the other worker keeps answering, the primary starts a
 * replacement. No browser; loopback only; bounded (the load stops by itself after ~2 s).
 */
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../db/client";
import { savedChoices } from "~/.server/attempts.server";
import { member, seedDatabase, startServer, stopServer, until, type Server } from "./ops-server";

/** Members 0–5 carry the load of the kill test; 6 and 7 the writer's rules. */
const MEMBERS = 6;
const dir = join(import.meta.dirname, ".tmp", `cluster-${process.pid}`);
let databasePath = "";
let server: Server | null = null;

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  databasePath = await seedDatabase(dir, MEMBERS + 2);
  server = await startServer(databasePath, { WEB_CONCURRENCY: "2" });
});

test.afterAll(async () => {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
});

const formHeaders = (cookie: string) => ({
  Origin: `http://127.0.0.1:${server!.port}`,
  "Content-Type": "application/x-www-form-urlencoded",
  Cookie: cookie,
});

test("the workers' saves and submits keep every rule through the one writer", async () => {
  const s = server!;
  // The workers run with V8's bigger young generation (cluster.mjs, workerExecArgv).
  for (const pid of s.workerPids()) expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")).toContain("--max-semi-space-size=32");
  const [a, b] = await Promise.all([member(s, MEMBERS), member(s, MEMBERS + 1)]);
  const save = (cookie: string, attemptId: string, position: number, option: number) =>
    fetch(s.url(`/bai-thi/${attemptId}/tra-loi`), {
      method: "POST",
      headers: { ...formHeaders(cookie), Accept: "application/json" },
      body: new URLSearchParams({ position: String(position), option: String(option) }),
    });

  // Ownership: a member cannot write into another's attempt.
  expect((await save(a.cookie, b.attemptId, 0, b.options[0]![0]!)).status).toBe(404);

  // The rate limit (120 saves a minute) is one count over both workers: 130 saves on 13 connections.
  const statuses = await Promise.all(
    Array.from({ length: 13 }, async (_, c) => {
      const seen: number[] = [];
      for (let n = 0; n < 10; n++) {
        const position = (c * 10 + n) % b.options.length;
        seen.push((await save(b.cookie, b.attemptId, position, b.options[position]![0]!)).status);
      }
      return seen;
    }),
  );
  const flat = statuses.flat();
  expect(flat.filter((status) => status === 200)).toHaveLength(120);
  expect(flat.filter((status) => status === 429)).toHaveLength(10);

  // A session Lucia would extend now is not the writer's to decide: the worker's full path
  // extends it and saves.
  const sessionId = a.cookie.split("=")[1]!;
  const soon = Math.floor(Date.now() / 1000) + 3600;
  const file = new Database(databasePath);
  try {
    file.prepare("update sessions set expires_at = ? where id = ?").run(soon, sessionId);
    const extended = await save(a.cookie, a.attemptId, 0, a.options[0]![0]!);
    expect(extended.status).toBe(200);
    expect(((await extended.json()) as { ok: boolean }).ok).toBe(true);
    const expiresAt = file.prepare("select expires_at from sessions where id = ?").pluck().get(sessionId) as number;
    expect(expiresAt).toBeGreaterThan(soon + 24 * 3600);
  } finally {
    file.close();
  }

  // The form submit, then a save after it: closed, with the way to the result.
  const submit = await fetch(s.url(`/bai-thi/${a.attemptId}?index`), {
    method: "POST",
    redirect: "manual",
    headers: formHeaders(a.cookie),
    body: `intent=submit&prediction=5&confirm=1&q-0=${a.options[0]![0]}`,
  });
  expect(submit.status).toBe(302);
  expect(submit.headers.get("location")).toBe(`/bai-thi/${a.attemptId}/ket-qua`);
  const late = await save(a.cookie, a.attemptId, 1, a.options[1]![0]!);
  expect(late.status).toBe(409);
  expect(await late.json()).toMatchObject({ ok: false, code: "refused", finished: `/bai-thi/${a.attemptId}/ket-qua` });
});

test("killing one worker under load loses no acknowledged save and the other keeps serving", async () => {
  const s = server!;
  const members = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => member(s, i)));
  const [first] = s.workerPids();
  expect(first).toBeTruthy();

  /** Per member and position, every save sent in order: acknowledged (200, ok) or not. */
  const sent = members.map(() => new Map<number, { option: number; acked: boolean }[]>());
  let killedAt = 0;
  let ackedAfterKill = 0;
  const stopAt = Date.now() + 2_500;
  const killTimer = setTimeout(() => {
    process.kill(first!, "SIGKILL");
    killedAt = Date.now();
  }, 700);
  await Promise.all(
    members.map(async (m, i) => {
      for (let n = 0; Date.now() < stopAt; n++) {
        const position = n % m.options.length;
        const choices = m.options[position]!;
        const option = choices[Math.floor(n / m.options.length) % choices.length]!;
        const record = { option, acked: false };
        (sent[i]!.get(position) ?? sent[i]!.set(position, []).get(position)!).push(record);
        try {
          const reply = await fetch(s.url(`/bai-thi/${m.attemptId}/tra-loi`), {
            method: "POST",
            headers: { ...formHeaders(m.cookie), Accept: "application/json" },
            body: new URLSearchParams({ position: String(position), option: String(option), chosenAt: String(Date.now()) }),
            signal: AbortSignal.timeout(5_000),
          });
          const body = (await reply.json()) as { ok: boolean; stale?: boolean };
          if (reply.status === 200 && body.ok && !body.stale) {
            record.acked = true;
            if (killedAt) ackedAfterKill++;
          }
        } catch {
          // The killed worker's connections reset: not acknowledged, the page's outbox would retry.
        }
      }
    }),
  );
  clearTimeout(killTimer);
  expect(killedAt, "a worker was killed during the load").toBeGreaterThan(0);
  expect(ackedAfterKill, "saves acknowledged after the kill (the other worker serves)").toBeGreaterThan(20);

  // The primary replaces the dead worker; the site answers.
  await until(
    () => {
      const pids = s.workerPids();
      return pids.length === 2 && !pids.includes(first!);
    },
    10_000,
    "a replacement worker",
  );
  expect((await fetch(s.url("/healthz"))).status).toBe(200);

  // Stop the server, then read what the database kept.
  s.child.kill("SIGTERM");
  await s.exited;
  const db = openDatabase(databasePath);
  try {
    let checked = 0;
    members.forEach((m, i) => {
      const saved = savedChoices(db, m.attemptId);
      for (const [position, records] of sent[i]!) {
        let lastAcked = records.length - 1;
        while (lastAcked >= 0 && !records[lastAcked]!.acked) lastAcked--;
        if (lastAcked < 0) continue;
        // The last acknowledged choice, or one sent after it whose answer was lost with the worker.
        const allowed = records.slice(lastAcked).map((r) => r.option);
        expect(allowed, `member ${i + 1}, question ${position + 1}`).toContain(saved[position]?.[0]);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(MEMBERS);
  } finally {
    db.$client.close();
  }
});
