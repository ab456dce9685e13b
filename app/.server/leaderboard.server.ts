/**
 * What a leaderboard page shows, assembled from stored results (closed rounds, the contest), or,
 * while a round is open, from live participation counts, and the live ranking only when the
 * contest allows it. Live figures are cached for a few seconds: at the deadline thousands of
 * people refresh the same page.
 */
import type { Db } from "../../db/client";
import { cached } from "./cache.server";
import { formatNumber } from "~/components/format";
import { maskPhone } from "~/domain/phone";
import { orderUnits } from "~/domain/ranking";
import { roundStatus, type RoundStatus } from "~/domain/schedule";
import { formatDate, timezoneOffset } from "~/domain/time";
import { t } from "~/i18n/vi";
import { formatDuration } from "~/components/format";
import type { getContest } from "./contests.server";
import {
  computeRoundRanking,
  liveParticipation,
  overallLeaderboardPage,
  overallPosition,
  participationByDay,
  roundLeaderboardPage,
  roundPosition,
  roundWithContest,
  storeRoundResults,
  unitStandings,
  type LeaderboardFilter,
} from "./results.server";
import { listDistricts } from "./users.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { users, districts, branches } from "../../db/schema";
import { inArray, eq } from "drizzle-orm";

export interface BoardRow {
  position: number;
  fullName: string;
  phone: string;
  unit: string;
  score: string;
  detail: string;
  prize: string | null;
  isMe: boolean;
}

type Contest = NonNullable<ReturnType<typeof getContest>>;

export function leaderboard(
  db: Db,
  {
    contest,
    scope,
    filter,
    view,
    unitOrder = "participants",
    page,
    pageSize,
    userId,
    now,
  }: {
    contest: Contest;
    scope: number | "tong" | null;
    filter: LeaderboardFilter;
    view: "individuals" | "units";
    /** How units are ranked: by participants (the collective prizes) or by average score. */
    unitOrder?: "participants" | "average";
    page: number;
    pageSize: number;
    userId: string | null;
    now: number;
  },
) {
  const districtNames = new Map(listDistricts(db).map((d) => [d.id, d.name]));
  // Default: the open round, else the last one that has opened.
  const started = contest.rounds.filter((r) => r.opensAt <= now);
  const defaultRound = started.find((r) => roundStatus(r, now) === "open") ?? started.at(-1) ?? contest.rounds[0];
  const round = scope === "tong" ? null : (contest.rounds.find((r) => r.number === scope) ?? defaultRound ?? null);

  const board = {
    scopeKey: round ? String(round.number) : "tong",
    scopeTitle: round ? round.title : t.board.overall,
    status: null as RoundStatus | null,
    participants: null as number | null,
    notice: null as string | null,
    view,
    rows: null as BoardRow[] | null,
    total: 0,
    page: null as number | null,
    myPosition: null as number | null,
    myPage: null as number | null,
    loggedIn: userId !== null,
    units: null as { title: string; rows: { unitId: string; name: string; participants: number; averageScore: number; rank: number }[] } | null,
    charts: { byDistrict: [] as { label: string; value: number; highlight?: boolean }[], byDay: [] as { label: string; value: number }[] },
  };

  const unitView = (rows: ReturnType<typeof unitStandings>) => orderUnits(rows, unitOrder);
  const districtChart = (rows: { unitId: string; participants: number }[]) =>
    [...rows]
      .sort((a, b) => b.participants - a.participants)
      .map((r) => ({ label: districtNames.get(r.unitId) ?? r.unitId, value: r.participants, highlight: r.unitId === filter.districtId }));

  if (round) {
    const status = roundStatus(round, now);
    board.status = status;
    if (status === "upcoming") {
      board.notice = t.board.upcoming;
      return board;
    }
    const info = roundWithContest(db, round.id)!;
    if (status === "open") {
      const live = cached(db, `participation:${round.id}`, now, () => liveParticipation(db, round.id));
      board.participants = live.total;
      board.charts.byDistrict = districtChart(live.byDistrict);
      // Live standings would show scores a contest hides until the close (showScore: after-close).
      if (!info.liveStandings || info.showScore === "after-close") {
        board.notice = t.board.openOnlyCounts;
        return board;
      }
      board.notice = t.board.liveNote;
      const ranking = cached(db, `live:${round.id}`, now, () => computeRoundRanking(db, info).entries);
      const units = new Map(
        db.select({ id: users.id, districtId: users.districtId, branchId: users.branchId }).from(users)
          .where(inArray(users.id, ranking.map((e) => e.userId))).all().map((u) => [u.id, u]),
      );
      const filtered = ranking.filter((e) => {
        const u = units.get(e.userId);
        return u && (!filter.districtId || u.districtId === filter.districtId) && (!filter.branchId || u.branchId === filter.branchId);
      });
      board.total = filtered.length;
      const pages = Math.max(1, Math.ceil(filtered.length / pageSize));
      board.page = Math.min(page, pages);
      const slice = filtered.slice((board.page - 1) * pageSize, board.page * pageSize);
      board.rows = describeRows(db, slice.map((e, i) => ({ ...e, position: (board.page! - 1) * pageSize + i + 1, detail: formatDuration(e.durationMs) })), userId);
      const mine = userId ? filtered.findIndex((e) => e.userId === userId) : -1;
      if (mine >= 0) {
        board.myPosition = mine + 1;
        board.myPage = Math.floor(mine / pageSize) + 1;
      }
      return board;
    }
    // Closed: results are stored by the sweep; if a request comes first, store them now.
    if (info.resultsComputedAt === null) {
      if (now < round.closesAt + ANSWER_GRACE_MS) {
        board.notice = t.board.notComputed;
        return board;
      }
      storeRoundResults(db, round.id, now);
    }
    const stored = roundWithContest(db, round.id)!;
    // The stored count is the prediction's answer: the participants themselves, unless the contest
    // asks for something else (how many answer everything correctly), when they are counted here.
    board.participants =
      stored.predictionTarget === "participants"
        ? stored.participantCount
        : cached(db, `participants:${round.id}`, now, () => liveParticipation(db, round.id).total);
    const offset = timezoneOffset(round.closesAt, contest.timezone);
    // Stored results do not move: the charts over them are cached like the live figures.
    const frozenKey = `${round.id}:${stored.resultsComputedAt}`;
    board.charts.byDay = cached(db, `byday:${frozenKey}`, now, () => participationByDay(db, round.id, offset)).map((d) => ({
      label: formatDate(d.dayStart, contest.timezone).slice(0, 5),
      value: d.attempts,
    }));
    const districtRows = cached(db, `districts:${frozenKey}`, now, () =>
      unitStandings(db, { contestId: contest.id, roundId: round.id, level: "district" }),
    );
    board.charts.byDistrict = districtChart(districtRows);
    if (view === "units") {
      board.units = unitsFor(db, contest.id, round.id, filter, districtRows, unitView, districtNames);
      return board;
    }
    const { total, rows } = roundLeaderboardPage(db, round.id, filter, clampPage(page, 0, pageSize), pageSize);
    board.total = total;
    board.page = clampPage(page, total, pageSize);
    const result = board.page === page ? rows : roundLeaderboardPage(db, round.id, filter, board.page, pageSize).rows;
    board.rows = describeRows(
      db,
      result.map((r, i) => ({ ...r, position: (board.page! - 1) * pageSize + i + 1, detail: formatDuration(r.durationMs) })),
      userId,
    );
    if (userId) {
      board.myPosition = roundPosition(db, round.id, userId, filter);
      if (board.myPosition !== null) board.myPage = Math.floor((board.myPosition - 1) / pageSize) + 1;
    }
    return board;
  }

  // The whole contest: its stored results change only when a round's are stored again.
  const version = contest.rounds.map((r) => roundWithContest(db, r.id)?.resultsComputedAt ?? 0).join(",");
  const districtRows = cached(db, `overall-districts:${contest.id}:${version}`, now, () =>
    unitStandings(db, { contestId: contest.id, roundId: null, level: "district" }),
  );
  board.participants = districtRows.reduce((n, r) => n + r.participants, 0);
  board.charts.byDistrict = districtChart(districtRows);
  if (view === "units") {
    board.units = unitsFor(db, contest.id, null, filter, districtRows, unitView, districtNames);
    return board;
  }
  const first = overallLeaderboardPage(db, contest.id, filter, page, pageSize);
  board.total = first.total;
  board.page = clampPage(page, first.total, pageSize);
  const rows = board.page === page ? first.rows : overallLeaderboardPage(db, contest.id, filter, board.page, pageSize).rows;
  board.rows = describeRows(
    db,
    rows.map((r, i) => ({
      ...r,
      score: r.totalScore,
      prize: null,
      position: (board.page! - 1) * pageSize + i + 1,
      detail: t.board.rounds(r.rounds),
    })),
    userId,
  );
  if (userId) {
    board.myPosition = overallPosition(db, contest.id, userId, filter);
    if (board.myPosition !== null) board.myPage = Math.floor((board.myPosition - 1) / pageSize) + 1;
  }
  return board;
}

function clampPage(page: number, total: number, pageSize: number) {
  if (total === 0) return page;
  return Math.min(page, Math.max(1, Math.ceil(total / pageSize)));
}

function unitsFor(
  db: Db,
  contestId: string,
  roundId: number | null,
  filter: LeaderboardFilter,
  districtRows: ReturnType<typeof unitStandings>,
  unitView: (rows: ReturnType<typeof unitStandings>) => { unitId: string; name: string; participants: number; averageScore: number; rank: number }[],
  districtNames: Map<string, string>,
) {
  if (filter.districtId) {
    const rows = unitStandings(db, { contestId, roundId, level: "branch", districtId: filter.districtId });
    return { title: t.board.branchesTitle(districtNames.get(filter.districtId) ?? ""), rows: unitView(rows) };
  }
  return { title: t.board.districtsTitle, rows: unitView(districtRows) };
}

/** Public rows: name, masked phone, unit; never a full phone number. */
function describeRows(
  db: Db,
  rows: { position: number; userId: string; score: number; detail: string; prize?: string | null; fullName?: string; phone?: string; district?: string; branch?: string }[],
  userId: string | null,
): BoardRow[] {
  const missing = rows.filter((r) => r.fullName === undefined).map((r) => r.userId);
  const people = new Map(
    missing.length
      ? db
          .select({ id: users.id, fullName: users.fullName, phone: users.phone, district: districts.name, branch: branches.name })
          .from(users)
          .innerJoin(districts, eq(districts.id, users.districtId))
          .innerJoin(branches, eq(branches.id, users.branchId))
          .where(inArray(users.id, missing))
          .all()
          .map((p) => [p.id, p])
      : [],
  );
  return rows.map((r) => {
    const p = r.fullName === undefined ? people.get(r.userId) : r;
    return {
      position: r.position,
      fullName: p?.fullName ?? "",
      phone: maskPhone(p?.phone ?? ""),
      unit: p ? `${p.branch} · ${p.district}` : "",
      score: formatNumber(r.score),
      detail: r.detail,
      prize: r.prize ?? null,
      isMe: r.userId === userId,
    };
  });
}
