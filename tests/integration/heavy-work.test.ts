/**
 * Heavy work off the event loop (docs/decisions/014-heavy-work-off-the-event-loop.md): the worker
 * thread stores exactly what the in-process functions store, downloads stream the same bytes as the
 * whole-file writers, and a failure in the worker reaches the judge as a clear Vietnamese message
 * (no crash, nothing half-written).
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, it, type Mock } from "vitest";
import { toCsv } from "~/.server/exports/csv.server";
import { RANKING_HEADER, rankingRows, rankingWorkbook } from "~/.server/exports/ranking-export.server";
import { toXlsx } from "~/.server/exports/xlsx.server";
import { HeavyWorkError, runHeavy } from "~/.server/heavy/pool.server";
import { disqualify, freezeClosedRounds, reinstate, rescoreRound, roundWithContest, storeRoundResults } from "~/.server/results.server";
import { heavyVi } from "~/i18n/heavy.vi";
import * as deskRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber";
import * as downloadRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber.tai.$file";
import { openDatabase, type Db } from "../../db/client";
import { auditLog, contestResults, disqualifications, roundResults, roundUnitNames, rounds, users } from "../../db/schema";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import {
  call,
  context,
  createUser,
  getRequest,
  MINUTE,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  useTestDatabase,
} from "./helpers";
import { FREEZE_1, phoneOf, resultsContest, setRole } from "./results-helpers";

const ctx = useTestDatabase();
const DESK = "/giam-khao/c1/vong/1";
const params = { contestId: "c1", roundNumber: "1" };

let roundId: number;
let judgeCookie: string;
let judge: string;

async function seed(members: number) {
  seedContent(ctx.db, [resultsContest()]);
  roundId = roundIdOf(ctx.db, "c1", 1);
  generateSyntheticAttempts(ctx.db, { roundId, members });
  judge = createUser(ctx.db);
  setRole(ctx.db, judge, "judge");
  judgeCookie = await sessionCookie(ctx.db, judge);
  ctx.now = FREEZE_1;
}

/** What a store leaves in the database, for comparing two databases (audit rows without their ids). */
function stored(db: Db) {
  return {
    round: db.select().from(rounds).orderBy(asc(rounds.id)).all(),
    roundResults: db.select().from(roundResults).orderBy(asc(roundResults.roundId), asc(roundResults.rank), asc(roundResults.userId)).all(),
    contestResults: db.select().from(contestResults).orderBy(asc(contestResults.rank), asc(contestResults.userId)).all(),
    unitNames: db.select().from(roundUnitNames).orderBy(asc(roundUnitNames.kind), asc(roundUnitNames.unitId)).all(),
    disqualifications: db.select().from(disqualifications).orderBy(asc(disqualifications.userId)).all(),
    audit: db
      .select()
      .from(auditLog)
      .orderBy(asc(auditLog.at), asc(auditLog.action))
      .all()
      .map(({ id: _id, ...rest }) => rest),
  };
}

/** The console.error spy of tests/setup.ts: what was logged, then forgotten (it was expected). */
function takeLoggedErrors(): string[] {
  const spy = console.error as unknown as Mock;
  const lines = spy.mock.calls.map((c) => c.map(String).join(" "));
  spy.mockClear();
  return lines;
}

async function readStream(body: ReadableStream<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { chunks: chunks.length, bytes };
}

/** The judge disqualifies `member` through the desk's action, as the form posts it. */
function disqualifyThroughDesk(member: string) {
  return call<{ message?: string; error?: string }>(() =>
    deskRoute.action({
      request: postRequest(
        DESK,
        [
          ["intent", "disqualify"],
          ["phone", phoneOf(ctx.db, member)],
          ["reason", "Thi hộ"],
        ],
        { cookie: judgeCookie },
      ),
      params,
      context,
    }),
  );
}

function download(file: string) {
  return call(() =>
    downloadRoute.loader({ request: getRequest(`${DESK}/tai/${file}`, { cookie: judgeCookie }), params: { ...params, file }, context }),
  );
}

/**
 * Every test here goes through a worker thread that opens its own database (and most seed 300
 * members): a few seconds on a quiet machine, but "same rows" (five round trips) took 10 s and
 * the others 5–8 s when other sessions shared the two cores, past vitest's 5 s default. The
 * timeout says so rather than the data shrinking: 300 members are what make the compared rows
 * worth comparing (prizes, ties, unit standings, a stream in several chunks).
 */
const THROUGH_A_WORKER = { timeout: 30_000 };

describe("the worker stores what the in-process functions store", THROUGH_A_WORKER, () => {
  let copyPath: string;
  let copy: Db;
  beforeEach(async () => {
    await seed(300);
    // A second database, identical: one side in process, the other through the worker thread.
    copyPath = join(tmpdir(), `cuocthi-test-copy-${process.pid}-${randomUUID()}.sqlite`);
    ctx.db.$client.exec(`vacuum into '${copyPath}'`);
    copy = openDatabase(copyPath);
  });
  afterEach(() => {
    copy.$client.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(copyPath + suffix, { force: true });
  });

  it("freezing, disqualifying, reinstating and re-scoring give the same rows", async () => {
    expect(freezeClosedRounds(ctx.db, FREEZE_1)).toBe(1);
    expect(await runHeavy("freezeClosedRounds", { now: FREEZE_1 }, copy)).toBe(1);
    expect(stored(ctx.db).roundResults).toHaveLength(300);
    expect(stored(copy)).toEqual(stored(ctx.db));

    const member = ctx.db.select({ id: users.id }).from(users).orderBy(asc(users.phone)).get()!.id;
    const decision = { roundId, userId: member, reason: "Thi hộ", byUserId: judge, now: FREEZE_1 + MINUTE };
    disqualify(ctx.db, decision);
    await runHeavy("disqualify", decision, copy);
    expect(stored(copy).disqualifications).toHaveLength(1);
    expect(stored(copy).roundResults.map((r) => r.userId)).not.toContain(member);
    expect(stored(copy)).toEqual(stored(ctx.db));

    const back = { ...decision, reason: "Đã xác minh", now: FREEZE_1 + 2 * MINUTE };
    reinstate(ctx.db, back);
    await runHeavy("reinstate", back, copy);
    expect(stored(copy)).toEqual(stored(ctx.db));

    storeRoundResults(ctx.db, roundId, FREEZE_1 + 3 * MINUTE);
    await runHeavy("storeRoundResults", { roundId, now: FREEZE_1 + 3 * MINUTE }, copy);
    expect(stored(copy)).toEqual(stored(ctx.db));

    const inProcess = rescoreRound(ctx.db, roundId, judge, FREEZE_1 + 4 * MINUTE);
    const onWorker = await runHeavy("rescoreRound", { roundId, actorUserId: judge, now: FREEZE_1 + 4 * MINUTE }, copy);
    expect(onWorker).toEqual(inProcess);
    expect(onWorker.checked).toBe(300);
    expect(stored(copy)).toEqual(stored(ctx.db));
  });

  it("a judge's decision through the desk answers after the new results are stored", async () => {
    storeRoundResults(ctx.db, roundId, FREEZE_1);
    const member = ctx.db.select({ id: users.id }).from(users).orderBy(asc(users.phone)).get()!.id;
    ctx.now = FREEZE_1 + MINUTE;
    const result = await disqualifyThroughDesk(member);
    expect(result.status).toBe(200);
    expect(result.data?.message).toMatch(/^Đã loại /);
    // Read right after the answer, on the server's own connection: the worker's write is there.
    expect(ctx.db.select().from(roundResults).where(eq(roundResults.userId, member)).all()).toEqual([]);
    expect(ctx.db.select().from(rounds).where(eq(rounds.id, roundId)).get()!.resultsComputedAt).toBe(FREEZE_1 + MINUTE);
    expect(ctx.db.select().from(roundResults).all()).toHaveLength(299);
  });
});

describe("downloads stream", THROUGH_A_WORKER, () => {
  beforeEach(async () => {
    await seed(4500);
    storeRoundResults(ctx.db, roundId, FREEZE_1);
  });

  it("the CSV arrives in several chunks whose bytes are exactly the whole-file writer's", async () => {
    const result = await download("xep-hang.csv");
    expect(result.status).toBe(200);
    expect(result.response!.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(result.response!.body).toBeInstanceOf(ReadableStream);
    const { chunks, bytes } = await readStream(result.response!.body!);
    expect(chunks).toBeGreaterThan(2); // 4,500 rows in slices of 2,000
    const round = roundWithContest(ctx.db, roundId)!;
    const whole = new TextEncoder().encode(toCsv(RANKING_HEADER, rankingRows(ctx.db, round, { prizedOnly: false })));
    expect(bytes.byteLength).toBe(whole.byteLength);
    expect(Buffer.from(bytes).equals(Buffer.from(whole))).toBe(true);
  });

  it("the XLSX arrives in several chunks and holds exactly the whole-file writer's parts", async () => {
    for (const [file, prizedOnly] of [
      ["xep-hang.xlsx", false],
      ["giai.xlsx", true],
    ] as const) {
      const result = await download(file);
      expect(result.status).toBe(200);
      const { chunks, bytes } = await readStream(result.response!.body!);
      if (!prizedOnly) expect(chunks).toBeGreaterThan(2);
      const round = roundWithContest(ctx.db, roundId)!;
      const streamed = unzipSync(bytes);
      const whole = unzipSync(toXlsx(rankingWorkbook(ctx.db, round, { prizedOnly })));
      expect(Object.keys(streamed)).toEqual(Object.keys(whole));
      for (const name of Object.keys(whole)) expect(strFromU8(streamed[name]!)).toBe(strFromU8(whole[name]!));
    }
  });
});

describe("a failure in the worker", THROUGH_A_WORKER, () => {
  beforeEach(async () => {
    await seed(50);
    storeRoundResults(ctx.db, roundId, FREEZE_1);
  });

  it("rejects with a Vietnamese message and logs the technical one", async () => {
    const failure = runHeavy("fail", { message: "boom at row 7" });
    await expect(failure).rejects.toBeInstanceOf(HeavyWorkError);
    await expect(failure).rejects.toThrow(heavyVi.failed(heavyVi.jobs.fail!));
    expect(takeLoggedErrors().join("\n")).toContain("boom at row 7");
    // The thread is still there for the next job.
    expect((await runHeavy("rescoreRound", { roundId, actorUserId: null, now: FREEZE_1 })).checked).toBe(50);
  });

  it("a download answers 503 with the message instead of a broken file", async () => {
    ctx.db.$client.exec("drop table round_unit_names");
    const result = await download("xep-hang.xlsx");
    expect(result.status).toBe(503);
    expect(await result.response!.text()).toBe(heavyVi.failed(heavyVi.jobs.exportFile!));
    expect(takeLoggedErrors().join("\n")).toContain("round_unit_names");
  });

  it("a judge's decision shows the message and leaves the stored results as they were", async () => {
    const results = () => ctx.db.select().from(roundResults).orderBy(asc(roundResults.rank)).all();
    const before = results();
    ctx.db.$client.exec("drop table round_unit_names");
    const member = before[0]!.userId;
    ctx.now = FREEZE_1 + MINUTE;
    const result = await disqualifyThroughDesk(member);
    expect(result.status).toBe(503);
    expect(result.data?.error).toBe(heavyVi.failed(heavyVi.jobs.disqualify!));
    expect(takeLoggedErrors().join("\n")).toContain("round_unit_names");
    // The store is one transaction: it rolled back whole.
    expect(results()).toEqual(before);
  });

  it("the thread stopping mid-job rejects with a message, and the next job gets a new thread", async () => {
    const pending = runHeavy("rescoreRound", { roundId, actorUserId: null, now: FREEZE_1 });
    await globalThis.__cuocthiHeavy!.worker.terminate();
    await expect(pending).rejects.toThrow(heavyVi.stopped(heavyVi.jobs.rescoreRound!));
    takeLoggedErrors();
    expect((await runHeavy("rescoreRound", { roundId, actorUserId: null, now: FREEZE_1 })).checked).toBe(50);
  });
});

describe("a download the client abandons", THROUGH_A_WORKER, () => {
  beforeEach(async () => {
    await seed(4500);
    storeRoundResults(ctx.db, roundId, FREEZE_1);
  });

  it("is dropped quietly and the next download is whole", async () => {
    const first = await download("xep-hang.csv");
    const reader = first.response!.body!.getReader();
    await reader.read();
    await reader.cancel(); // the judge closed the tab after the first chunk
    const again = await download("xep-hang.csv");
    const { bytes } = await readStream(again.response!.body!);
    const round = roundWithContest(ctx.db, roundId)!;
    expect(
      Buffer.from(bytes).equals(
        Buffer.from(new TextEncoder().encode(toCsv(RANKING_HEADER, rankingRows(ctx.db, round, { prizedOnly: false })))),
      ),
    ).toBe(true);
  });
});
