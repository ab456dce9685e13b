/**
 * The running-contest rules through `content:import` (issue 17, docs/decisions/008): the same
 * function as the console refuses the same changes, as `file:line: …` errors, and changes nothing;
 * an allowed import is audited with the OS user who ran it and "content:import". The last tests run
 * the real command line.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { importContentDir, osUserName } from "~/.server/content/pipeline.server";
import { disqualify, freezeClosedRounds } from "~/.server/results.server";
import { ruleMessages } from "~/domain/contest-rules";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { formatDateTime } from "~/domain/time";
import { auditLog, contests, rounds } from "../../db/schema";
import { createUser, DAY, MINUTE, roundIdOf, useTestDatabase } from "./helpers";
import { roundRow, storedRows, takeRound } from "./results-helpers";
import { lineOfFile } from "../helpers/text";

const ctx = useTestDatabase();
const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const FILE = "content/contests/thi-thu.md";
const TZ = "Asia/Ho_Chi_Minh";
const labels = ruleMessages.settingLabels;

// The fixture contest thi-thu: 10-minute limit, 4 questions, prizes 1 Nhất + 2 Nhì, two weekly rounds.
const R1_OPENS = Date.UTC(2024, 8, 30, 3, 0); // 30/09/2024 10:00 in Vietnam
const R1_CLOSES = Date.UTC(2024, 9, 7, 2, 30); // 07/10/2024 09:30
const R2_CLOSES = Date.UTC(2024, 9, 14, 2, 30); // 14/10/2024 09:30
const BEFORE = R1_OPENS - DAY;
const HOUR = 60 * MINUTE;

let tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

/** A copy of the fixture content folder to edit; returns its root (the working directory). */
function contentCopy(): string {
  const root = mkdtempSync(join(tmpdir(), "cuocthi-running-"));
  tempDirs.push(root);
  cpSync(join(REPO, "tests", "fixtures", "content"), join(root, "content"), { recursive: true });
  return root;
}

function importAt(root: string, now: number) {
  return importContentDir(ctx.db, { now, cwd: root, contentDir: join(root, "content"), via: "content:import", osUser: osUserName() });
}

function editContest(root: string, edit: (text: string) => string) {
  const path = join(root, FILE);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
}

/** What an import could change: the contests, rounds and audit tables. */
function snapshot() {
  return {
    contests: ctx.db.select().from(contests).all(),
    rounds: ctx.db.select().from(rounds).all(),
    audit: ctx.db.select().from(auditLog).all(),
  };
}

function member() {
  return createUser(ctx.db, { districtId: "da-lat", branchId: "dl-ubnd" });
}

/** Fixtures imported the day before round 1 opens. */
function imported(): string {
  const root = contentCopy();
  expect(importAt(root, BEFORE).ok).toBe(true);
  return root;
}

describe("content:import of a running contest", () => {
  it("refuses to cut an open round short under a member who is answering, and changes nothing", () => {
    const root = imported();
    const roundId = roundIdOf(ctx.db, "thi-thu", 1);
    takeRound(ctx.db, { roundId, userId: member(), startAt: R1_OPENS + HOUR, finishAt: null, prediction: null, answers: "none" });
    const now = R1_OPENS + HOUR + 2 * MINUTE;
    const before = snapshot();
    // 30/09/2024 11:05 is three minutes from now; the member's deadline is eight minutes away.
    editContest(root, (t) => t.replace("closes: 07/10/2024 09:30", "closes: 30/09/2024 11:05"));
    expect(importAt(root, now)).toEqual({
      ok: false,
      errors: [
        {
          file: FILE,
          line: lineOfFile(join(root, FILE), "    closes: 30/09/2024 11:05"),
          message: ruleMessages.cutShort(1, formatDateTime(now + 10 * MINUTE, TZ), true),
        },
      ],
    });
    expect(snapshot()).toEqual(before);
  });

  it("refuses to move a closed round's close to the future", () => {
    const root = imported();
    const now = R2_CLOSES + DAY;
    const before = snapshot();
    editContest(root, (t) => t.replace("closes: 14/10/2024 09:30", "closes: 14/10/2026 09:30"));
    expect(importAt(root, now)).toEqual({
      ok: false,
      errors: [
        {
          file: FILE,
          line: lineOfFile(join(root, FILE), "    closes: 14/10/2026 09:30"),
          message: ruleMessages.closedRoundLocked(2, "closes", formatDateTime(R2_CLOSES, TZ)),
        },
      ],
    });
    expect(snapshot()).toEqual(before);
  });

  it("refuses every fairness setting changed after the first round opened, each on its line, all at once", () => {
    const root = imported();
    const before = snapshot();
    editContest(root, (t) =>
      t
        .replace("timezone: Asia/Ho_Chi_Minh", "timezone: Asia/Bangkok")
        .replace("timeLimitMinutes: 10", "timeLimitMinutes: 30")
        .replace(
          "questionsPerAttempt: 4\n",
          "questionsPerAttempt: 4\nattemptsPerRound: 2\nprediction: false\npredictionTarget: perfect-scores\nranking: [score, duration]\n",
        ),
    );
    const opened = formatDateTime(R1_OPENS, TZ);
    const result = importAt(root, R1_OPENS + HOUR);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      (
        [
          ["timezone", "timezone: Asia/Bangkok"],
          ["timeLimitMinutes", "timeLimitMinutes: 30"],
          ["attemptsPerRound", "attemptsPerRound: 2"],
          ["prediction", "prediction: false"],
          ["predictionTarget", "predictionTarget: perfect-scores"],
          ["ranking", "ranking: [score, duration]"],
        ] as const
      ).map(([key, line]) => ({
        file: FILE,
        line: lineOfFile(join(root, FILE), line),
        message: ruleMessages.settingLocked(labels[key], opened),
      })),
    );
    expect(snapshot()).toEqual(before);
  });

  it("keeps the prize tiers a round closed with when the file's tiers are edited afterwards", () => {
    const root = imported();
    const roundId = roundIdOf(ctx.db, "thi-thu", 1);
    const members = [0, 1, 2, 3].map((i) => {
      const userId = member();
      takeRound(ctx.db, {
        roundId,
        userId,
        startAt: R1_OPENS + (i + 1) * HOUR,
        finishAt: R1_OPENS + (i + 1) * HOUR + (i + 1) * MINUTE,
        prediction: 4,
        answers: "all",
      });
      return userId;
    });
    const frozenAt = R1_CLOSES + ANSWER_GRACE_MS + 1;
    freezeClosedRounds(ctx.db, frozenAt);
    expect(storedRows(ctx.db, roundId).map((r) => r.prize)).toEqual(["Giải Nhất", "Giải Nhì", "Giải Nhì", null]);

    editContest(root, (t) => t.replace("  - name: Giải Nhì\n    count: 2\n", ""));
    expect(importAt(root, frozenAt + HOUR).ok).toBe(true);
    const ranked = storedRows(ctx.db, roundId).map((r) => r.userId);
    disqualify(ctx.db, { roundId, userId: ranked[0]!, reason: "Thi hộ", byUserId: members[0]!, now: frozenAt + 2 * HOUR });
    // The three left share the tiers round 1 closed with (1 Nhất, 2 Nhì), not the file's new one.
    expect(storedRows(ctx.db, roundId).map((r) => [r.userId, r.prize])).toEqual([
      [ranked[1], "Giải Nhất"],
      [ranked[2], "Giải Nhì"],
      [ranked[3], "Giải Nhì"],
    ]);
  });

  it("reads minPrizeScore from the file: a 0-point attempt wins nothing", () => {
    const root = contentCopy();
    editContest(root, (t) => t.replace("timeLimitMinutes: 10\n", "timeLimitMinutes: 10\nminPrizeScore: 1\n"));
    expect(importAt(root, BEFORE).ok).toBe(true);
    expect(ctx.db.select().from(contests).get()!.minPrizeScore).toBe(1);
    const roundId = roundIdOf(ctx.db, "thi-thu", 1);
    const scorer = member();
    const quitter = member();
    takeRound(ctx.db, {
      roundId,
      userId: scorer,
      startAt: R1_OPENS + HOUR,
      finishAt: R1_OPENS + HOUR + 5 * MINUTE,
      prediction: 2,
      answers: "one",
    });
    takeRound(ctx.db, { roundId, userId: quitter, startAt: R1_OPENS + 2 * HOUR, finishAt: null, prediction: null, answers: "none" });
    freezeClosedRounds(ctx.db, R1_CLOSES + ANSWER_GRACE_MS + 1);
    expect(storedRows(ctx.db, roundId).map((r) => [r.userId, r.score, r.prize])).toEqual([
      [scorer, 1, "Giải Nhất"],
      [quitter, 0, null],
    ]);
  });

  it("is audited as content:import by the OS user, with the values before and after", () => {
    const root = imported();
    const roundId = roundIdOf(ctx.db, "thi-thu", 1);
    editContest(root, (t) => t.replace("closes: 07/10/2024 09:30", "closes: 07/10/2024 09:45"));
    const now = R1_OPENS + HOUR;
    expect(importAt(root, now).ok).toBe(true);
    expect(roundRow(ctx.db, roundId).closesAt).toBe(R1_CLOSES + 15 * MINUTE);
    const entries = ctx.db.select().from(auditLog).where(eq(auditLog.at, now)).all();
    expect(entries).toMatchObject([
      {
        actorUserId: null,
        action: "round.update",
        subject: `round:${roundId}`,
        subjectKind: "round",
        before: { closesAt: R1_CLOSES },
        after: { closesAt: R1_CLOSES + 15 * MINUTE },
        details: { via: "content:import", osUser: userInfo().username, contestId: "thi-thu", number: 1, file: FILE },
      },
      { action: "content.import", details: { via: "content:import", osUser: userInfo().username } },
    ]);
  });
});

describe("npm run content:import (the command line)", () => {
  /** Runs the real command in `root` on the test database file. */
  function runCli(root: string) {
    const tsx = join(REPO, "node_modules", "tsx", "dist", "cli.mjs");
    return spawnSync(process.execPath, [tsx, join(REPO, "app", ".server", "cli", "content-import.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: ctx.path, TSX_TSCONFIG_PATH: join(REPO, "tsconfig.json"), NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 60_000,
    });
  }

  it("refuses to reopen a closed round with file:line errors and changes nothing; audits an allowed change with the OS user", () => {
    // Today every fixture round is long closed.
    const root = imported();
    const before = snapshot();
    editContest(root, (t) => t.replace("closes: 14/10/2024 09:30", "closes: 14/10/2030 09:30"));
    const refused = runCli(root);
    expect(refused.status).toBe(1);
    const line = lineOfFile(join(root, FILE), "    closes: 14/10/2030 09:30");
    expect(refused.stderr).toContain(`${FILE}:${line}: ${ruleMessages.closedRoundLocked(2, "closes", formatDateTime(R2_CLOSES, TZ))}`);
    expect(refused.stderr).toContain("cơ sở dữ liệu không thay đổi gì");
    expect(snapshot()).toEqual(before);

    editContest(root, (t) =>
      t.replace("closes: 14/10/2030 09:30", "closes: 14/10/2024 09:30").replace("title: Cuộc thi thử", "title: Cuộc thi thử (bản sửa)"),
    );
    const allowed = runCli(root);
    // The fixture banks carry lint warnings (mixed points); nothing else may be printed.
    expect(allowed.stderr.split("\n").filter((line) => line !== "" && !line.includes(": cảnh báo: "))).toEqual([]);
    expect(allowed.status).toBe(0);
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "contest.update")).all()).toMatchObject([
      {
        actorUserId: null,
        subject: "contest:thi-thu",
        before: { title: "Cuộc thi thử" },
        after: { title: "Cuộc thi thử (bản sửa)" },
        details: { via: "content:import", osUser: userInfo().username },
      },
    ]);
  }, 120_000);
});
