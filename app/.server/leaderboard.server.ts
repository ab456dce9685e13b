/**
 * What a leaderboard page shows, assembled from stored results (closed rounds, the contest), or,
 * while a round is open, from live participation counts, and the live ranking only when the
 * contest allows it. Live figures are cached for a few seconds: at the deadline thousands of
 * people refresh the same page.
 */
import type { Db } from "../../db/client";
import { cached } from "./cache.server";
import { formatNumber } from "~/domain/format";
import { maskPhone } from "~/domain/phone";
import { orderUnits, rankLabel } from "~/domain/ranking";
import { canFreeze, roundStatus, type RoundStatus } from "~/domain/schedule";
import { formatDate, timezoneOffset } from "~/domain/time";
import { perfText } from "~/i18n/perf.vi";
import { t } from "~/i18n/vi";
import { formatDuration } from "~/domain/format";
import type { getContest } from "./contests.server";
import {
  contestResultsVersion,
  contestUnitNameMap,
  roundUnitNameMap,
  overallLeaderboardPage,
  overallStanding,
  participationByDay,
  roundLeaderboardPage,
  roundStanding,
  roundWithContest,
  unitStandings,
  type LeaderboardFilter,
  type RoundWithContest,
} from "./results.server";
import { listBranches, listDistricts } from "./users.server";
import { liveEntryOf, liveListing, liveRankLabel, liveSnapshot } from "./live-board.server";
import { liveBoardText } from "~/i18n/live-board.vi";
import { branchLinkOutcome } from "~/domain/unit-history";
import { historyStrings } from "~/i18n/history.vi";
import { rankingStrings } from "~/i18n/ranking.vi";
import { users, districts, branches, roundUnitNames, rounds } from "../../db/schema";
import { and, asc, inArray, eq } from "drizzle-orm";

export interface BoardRow {
  /** The row's place in the listing (1, 2, 3…): a key and the pager's unit. */
  position: number;
  /** The rank shown: "3", or "3=" when shared (docs/decisions/012-ranking-rules-settled.md). */
  rankLabel: string;
  fullName: string;
  phone: string;
  unit: string;
  score: string;
  detail: string;
  prize: string | null;
  isMe: boolean;
}

type Contest = NonNullable<ReturnType<typeof getContest>>;

type BoardArgs = {
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
};
export type Board = ReturnType<typeof computeBoard>;

/**
 * What a frozen leaderboard shows changes only when results are stored again or staff change
 * something it names (a unit renamed or merged, a contest edited, a member's details): a closed
 * round's `resultsComputedAt` (the contest's for the overall ranking) and the newest audit entry
 * (every staff change is audited) together version it. Null for anything live or not frozen yet.
 */
export function leaderboardVersion(db: Db, contest: Contest, scope: number | "tong" | null, now: number): string | null {
  const round = pickRound(contest, scope, now);
  let results: string;
  if (round) {
    if (roundStatus(round, now) !== "closed") return null;
    const computedAt = roundWithContest(db, round.id)?.resultsComputedAt ?? null;
    if (computedAt === null) return null;
    results = `r${round.id}.${computedAt}`;
  } else {
    // The overall ranking is stored just after its rounds' (docs/decisions/020-results-versions.md):
    // its own version too, or a page built in between would be kept after the switch.
    results = `c${contest.rounds.map((r) => roundWithContest(db, r.id)?.resultsComputedAt ?? 0).join(".")}.v${contestResultsVersion(db, contest.id)}`;
  }
  const audit = newestAuditId(db);
  return `${results}.a${audit}`;
}

const auditStatements = new WeakMap<Db, { get(): unknown }>();
function newestAuditId(db: Db): number {
  let statement = auditStatements.get(db);
  if (!statement) auditStatements.set(db, (statement = db.$client.prepare("select coalesce(max(id), 0) from audit_log").pluck()));
  return statement.get() as number;
}

/**
 * Frozen pages, built once per worker for everyone (as a visitor sees them) and kept until their
 * version changes (decision 013): a judge's decision stores the results again, a new
 * `resultsComputedAt`, a new key. At most MAX_CACHED_BOARDS; the oldest go first.
 */
const frozenBoards = new WeakMap<Db, Map<string, Board>>();
const MAX_CACHED_BOARDS = 500;
/** The members of a board's rows, in order: kept on the server, never sent to the page. */
const rowOwners = new WeakMap<BoardRow[], string[]>();

export function leaderboard(db: Db, args: BoardArgs): Board {
  const version = leaderboardVersion(db, args.contest, args.scope, args.now);
  if (!version) return computeBoard(db, args);
  let cache = frozenBoards.get(db);
  if (!cache) frozenBoards.set(db, (cache = new Map()));
  const { filter } = args;
  const key = [
    args.contest.id,
    args.scope ?? "",
    version,
    filter.districtId ?? "",
    filter.branchId ?? "",
    args.view,
    args.unitOrder ?? "",
    args.page,
    args.pageSize,
  ].join("|");
  let shared = cache.get(key);
  if (!shared) {
    shared = computeBoard(db, { ...args, userId: null });
    if (cache.size >= MAX_CACHED_BOARDS) cache.delete(cache.keys().next().value!);
    cache.set(key, shared);
  }
  if (args.userId === null) return shared;
  // A member's own copy: their row marked, their standing found (one indexed query).
  const owners = shared.rows ? rowOwners.get(shared.rows) : undefined;
  const board: Board = {
    ...shared,
    loggedIn: true,
    rows: shared.rows ? shared.rows.map((row, i) => ({ ...row, isMe: owners?.[i] === args.userId })) : null,
  };
  if (shared.view === "individuals" && shared.rows) {
    const round = pickRound(args.contest, args.scope, args.now);
    const mine = round ? roundStanding(db, round.id, args.userId, filter) : overallStanding(db, args.contest.id, args.userId, filter);
    if (mine) {
      board.myPosition = mine.row;
      board.myRank = rankLabel(mine.rank, mine.shared);
      board.myPage = Math.floor((mine.row - 1) / args.pageSize) + 1;
    }
  }
  return board;
}

type Round = NonNullable<ReturnType<typeof pickRound>>;

function emptyBoard(round: Round | null, view: BoardArgs["view"], userId: string | null) {
  return {
    scopeKey: round ? String(round.number) : "tong",
    scopeTitle: round ? round.title : t.board.overall,
    status: null as RoundStatus | null,
    participants: null as number | null,
    notice: null as string | null,
    /** Set while a closed round's results are being compiled: the page reloads itself (meta refresh). */
    refreshSeconds: null as number | null,
    /** How old the live standings shown are (an open round's live board only). */
    liveUpdated: null as string | null,
    view,
    rows: null as BoardRow[] | null,
    total: 0,
    page: null as number | null,
    myPosition: null as number | null,
    /** The member's rank as shown ("3="), beside `myPosition` (their row, for the page). */
    myRank: null as string | null,
    myPage: null as number | null,
    loggedIn: userId !== null,
    units: null as {
      title: string;
      rows: { unitId: string; name: string; participants: number; averageScore: number; rank: number }[];
    } | null,
    charts: { byDistrict: [] as { label: string; value: number; highlight?: boolean }[], byDay: [] as { label: string; value: number }[] },
  };
}

type BoardOf = ReturnType<typeof emptyBoard>;

/** What every mode of the leaderboard works with: the request, the board being filled, its chart helpers. */
interface BoardParts {
  db: Db;
  args: BoardArgs & { unitOrder: "participants" | "average" };
  board: BoardOf;
  districtNames: Map<string, string>;
  unitView: (rows: ReturnType<typeof unitStandings>) => ReturnType<typeof orderUnits<ReturnType<typeof unitStandings>[number]>>;
  districtChart: (
    rows: { unitId: string; participants: number; name?: string }[],
  ) => { label: string; value: number; highlight?: boolean }[];
}

/** The leaderboard, by mode: a round upcoming, open (counts, or live standings), closed (stored results), or the whole contest. */
function computeBoard(db: Db, args: BoardArgs): BoardOf {
  const { contest, scope, filter, view, userId, now } = args;
  const unitOrder = args.unitOrder ?? "participants";
  const districtNames = new Map(listDistricts(db).map((d) => [d.id, d.name]));
  const round = pickRound(contest, scope, now);
  const board = emptyBoard(round, view, userId);
  const parts: BoardParts = {
    db,
    args: { ...args, unitOrder },
    board,
    districtNames,
    unitView: (rows) => orderUnits(rows, unitOrder),
    districtChart: (rows) =>
      [...rows]
        .sort((a, b) => b.participants - a.participants)
        .map((r) => ({
          label: r.name ?? districtNames.get(r.unitId) ?? r.unitId,
          value: r.participants,
          highlight: r.unitId === filter.districtId,
        })),
  };
  if (!round) return overallBoard(parts);
  const status = roundStatus(round, now);
  board.status = status;
  if (status === "upcoming") {
    board.notice = t.board.upcoming;
    return board;
  }
  const info = roundWithContest(db, round.id)!;
  if (status === "open") return openRoundBoard(parts, round, info);
  return closedRoundBoard(parts, round, info);
}

/** An open round: participation counts, and the live standings only when the contest allows them. */
function openRoundBoard({ db, args, board, districtChart }: BoardParts, round: Round, info: RoundWithContest): BoardOf {
  const { filter, page, pageSize, userId, now } = args;
  // Live standings would show scores a contest hides until the close (showScore: after-close).
  const ranked = info.liveStandings && info.showScore !== "after-close";
  // Counted (and ranked) off the event loop for a large round and served as last computed
  // (app/.server/live-board.server.ts): a request only filters (once per filter and computation) and slices.
  const snapshot = liveSnapshot(db, round.id, ranked, now);
  if (!snapshot) {
    board.notice = liveBoardText.compiling;
    board.refreshSeconds = liveBoardText.refreshSeconds;
    return board;
  }
  board.participants = snapshot.participation.total;
  board.charts.byDistrict = districtChart(snapshot.participation.byDistrict);
  board.liveUpdated = liveBoardText.updated(Math.floor((now - snapshot.at) / 1000));
  if (!ranked || !snapshot.standings) {
    board.notice = t.board.openOnlyCounts;
    return board;
  }
  board.notice = t.board.liveNote;
  const { standings, ids } = snapshot;
  const listing = liveListing({ ...snapshot, standings }, filter);
  board.total = listing.indices.length;
  const pages = Math.max(1, Math.ceil(board.total / pageSize));
  board.page = Math.min(page, pages);
  const first = (board.page - 1) * pageSize;
  board.rows = describeRows(
    db,
    listing.indices.slice(first, first + pageSize).map((e, i) => ({
      userId: ids[e]!,
      score: standings.score[e]!,
      prize: standings.prize[e]! < 0 ? null : standings.prizes[standings.prize[e]!]!,
      position: first + i + 1,
      rankLabel: liveRankLabel(listing, first + i),
      detail: formatDuration(standings.durationMs[e]!),
    })),
    userId,
  );
  const entry = userId ? liveEntryOf(snapshot, userId) : -1;
  const mine = entry >= 0 ? sortedIndexOf(listing.indices, entry) : -1;
  if (mine >= 0) {
    board.myPosition = mine + 1;
    board.myRank = liveRankLabel(listing, mine);
    board.myPage = Math.floor(mine / pageSize) + 1;
  }
  return board;
}

/** Where `value` is in an ascending list, or -1. */
function sortedIndexOf(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] === value) return mid;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** A closed round: its stored results, or "đang tổng hợp" until the sweep has stored them. */
function closedRoundBoard(
  { db, args, board, districtChart, unitView, districtNames }: BoardParts,
  round: Round,
  info: RoundWithContest,
): BoardOf {
  const { contest, filter, view, page, pageSize, userId, now } = args;
  // Closed: results are stored by the scheduled job (or a judge's decision), never by a page
  // load (decision 013). A page that arrives first says so and reloads itself.
  if (info.resultsComputedAt === null) {
    board.notice = canFreeze(round, now) ? perfText.compiling : t.board.notComputed;
    board.refreshSeconds = perfText.refreshSeconds;
    return board;
  }
  const stored = roundWithContest(db, round.id)!;
  // The members who took part, stored apart from the prediction's answer (rounds.predictionAnswer).
  board.participants = stored.participantCount;
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
    // A tied group at a prize boundary shows its prize as undecided until the judges' draw.
    result.map((r, i) => ({
      ...r,
      prize: r.drawPending ? rankingStrings.undecidedPrize : r.prize,
      position: (board.page! - 1) * pageSize + i + 1,
      detail: formatDuration(r.durationMs),
    })),
    userId,
  );
  if (userId) {
    const mine = roundStanding(db, round.id, userId, filter);
    if (mine) {
      board.myPosition = mine.row;
      board.myRank = rankLabel(mine.rank, mine.shared);
      board.myPage = Math.floor((mine.row - 1) / pageSize) + 1;
    }
  }
  return board;
}

/** The whole contest's overall ranking (or its units). */
function overallBoard({ db, args, board, districtChart, unitView, districtNames }: BoardParts): BoardOf {
  const { contest, filter, view, page, pageSize, userId, now } = args;
  // The whole contest: its stored results change only when a round's are stored again.
  const version = `${contest.rounds.map((r) => roundWithContest(db, r.id)?.resultsComputedAt ?? 0).join(",")}:${contestResultsVersion(db, contest.id)}`;
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
    const mine = overallStanding(db, contest.id, userId, filter);
    if (mine) {
      board.myPosition = mine.row;
      board.myRank = rankLabel(mine.rank, mine.shared);
      board.myPage = Math.floor((mine.row - 1) / pageSize) + 1;
    }
  }
  return board;
}

/** The round a leaderboard shows: the one asked for, else the open round, else the last one that has opened. */
export function pickRound(contest: Contest, scope: number | "tong" | null, now: number) {
  if (scope === "tong") return null;
  const started = contest.rounds.filter((r) => r.opensAt <= now);
  const defaultRound = started.find((r) => roundStatus(r, now) === "open") ?? started.at(-1) ?? contest.rounds[0];
  return contest.rounds.find((r) => r.number === scope) ?? defaultRound ?? null;
}

export interface FilterUnit {
  id: string;
  name: string;
}

/**
 * The district and branch filters of a leaderboard, with the units as the scope knew them: a closed
 * round lists the branches its stored results name (merged or renamed since, under their names of
 * then) besides today's; the present everywhere else. A link naming a merged branch is followed to
 * the branch it was merged into unless the scope's history holds it (app/domain/unit-history.ts).
 */
type FilterArgs = { contest: Contest; scope: number | "tong" | null; districtParam?: string; branchParam?: string; now: number };
type FilterResult =
  | { redirect: { districtId: string; branchId: string; mergedFrom: string } }
  | { redirect: null; districts: FilterUnit[]; branches: FilterUnit[]; districtId?: string; branchId?: string };
const frozenFilters = new WeakMap<Db, Map<string, FilterResult>>();

/**
 * The filter lists of a leaderboard. For a frozen view they are kept per version like the board
 * (the units named by stored results are read from 100,000 rows; a unit renamed or merged is an
 * audited change, so a new version).
 */
export function leaderboardFilter(db: Db, args: FilterArgs): FilterResult {
  const version = leaderboardVersion(db, args.contest, args.scope, args.now);
  if (!version) return computeLeaderboardFilter(db, args);
  let cache = frozenFilters.get(db);
  if (!cache) frozenFilters.set(db, (cache = new Map()));
  const key = [args.contest.id, args.scope ?? "", version, args.districtParam ?? "", args.branchParam ?? ""].join("|");
  let result = cache.get(key);
  if (!result) {
    result = computeLeaderboardFilter(db, args);
    if (cache.size >= MAX_CACHED_BOARDS) cache.delete(cache.keys().next().value!);
    cache.set(key, result);
  }
  return result;
}

function computeLeaderboardFilter(db: Db, { contest, scope, districtParam, branchParam, now }: FilterArgs): FilterResult {
  const round = pickRound(contest, scope, now);
  const info = round ? roundWithContest(db, round.id) : undefined;
  // History: a closed round with stored results, or the overall ranking of a contest whose rounds all closed.
  const history =
    round && info
      ? info.resultsComputedAt !== null && roundStatus(round, now) === "closed"
        ? ({ kind: "round", id: round.id } as const)
        : null
      : contest.rounds.length > 0 && contest.rounds.every((r) => roundStatus(r, now) === "closed")
        ? ({ kind: "contest", id: contest.id } as const)
        : null;
  const kept = history ? (history.kind === "round" ? roundUnitNameMap(db, history.id) : contestUnitNameMap(db, history.id)) : null;
  const stored = history ? storedUnits(db, history) : [];

  if (branchParam) {
    const linked = db
      .select({ id: branches.id, mergedIntoId: branches.mergedIntoId })
      .from(branches)
      .where(eq(branches.id, branchParam))
      .get();
    if (linked) {
      const outcome = branchLinkOutcome(linked, { historyHoldsIt: stored.some((u) => u.branchId === linked.id) });
      if ("redirectTo" in outcome) {
        const into = db
          .select({ id: branches.id, districtId: branches.districtId })
          .from(branches)
          .where(eq(branches.id, outcome.redirectTo))
          .get();
        if (into) return { redirect: { districtId: into.districtId, branchId: into.id, mergedFrom: outcome.mergedFrom } };
      }
    }
  }

  const districtList = listDistricts(db).map((d) => ({ id: d.id, name: kept?.district.get(d.id) ?? d.name }));
  // A branch named by the scope's results tells its district there, even if the district is given wrong or not at all.
  const districtOfBranch = branchParam
    ? (stored.find((u) => u.branchId === branchParam)?.districtId ??
      db.select({ districtId: branches.districtId }).from(branches).where(eq(branches.id, branchParam)).get()?.districtId)
    : undefined;
  const districtId = districtList.some((d) => d.id === districtParam) ? districtParam : districtOfBranch;
  if (!districtId) return { redirect: null, districts: districtList, branches: [] };
  const present = listBranches(db, districtId).map((b) => ({ id: b.id, name: kept?.branch.get(b.id) ?? b.name }));
  const pastIds = [...new Set(stored.filter((u) => u.districtId === districtId).map((u) => u.branchId))].filter(
    (id) => !present.some((b) => b.id === id),
  );
  const past = pastIds.length
    ? db
        .select({ id: branches.id, name: branches.name })
        .from(branches)
        .where(inArray(branches.id, pastIds))
        .orderBy(asc(branches.position))
        .all()
        .map((b) => ({ id: b.id, name: kept?.branch.get(b.id) ?? b.name }))
    : [];
  const branchList = [...present, ...past];
  const branchId = branchList.some((b) => b.id === branchParam) ? branchParam : undefined;
  return { redirect: null, districts: districtList, branches: branchList, districtId, branchId };
}

/** The note shown after a merged branch's link was followed, or null when `fromId` was not merged into `intoId`. */
export function mergedBranchNote(db: Db, fromId: string, intoId: string): string | null {
  const from = db.select({ name: branches.name, mergedIntoId: branches.mergedIntoId }).from(branches).where(eq(branches.id, fromId)).get();
  const into = db.select({ name: branches.name }).from(branches).where(eq(branches.id, intoId)).get();
  if (!from || !into || from.mergedIntoId !== intoId) return null;
  return historyStrings.mergedNote(from.name, into.name);
}

/**
 * The (district, branch) pairs a closed round's results name, or the contest's closed rounds'
 * for its overall ranking: read from the names kept with them (a few rows per unit, where the
 * results themselves are a row per member).
 */
function storedUnits(db: Db, scope: { kind: "round"; id: number } | { kind: "contest"; id: string }) {
  return db
    .selectDistinct({ districtId: roundUnitNames.districtId, branchId: roundUnitNames.unitId })
    .from(roundUnitNames)
    .innerJoin(rounds, eq(rounds.id, roundUnitNames.roundId))
    .where(and(eq(roundUnitNames.kind, "branch"), scope.kind === "round" ? eq(rounds.id, scope.id) : eq(rounds.contestId, scope.id)))
    .all()
    .filter((u): u is { districtId: string; branchId: string } => u.districtId !== null);
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
  unitView: (
    rows: ReturnType<typeof unitStandings>,
  ) => { unitId: string; name: string; participants: number; averageScore: number; rank: number }[],
  districtNames: Map<string, string>,
) {
  if (filter.districtId) {
    const rows = unitStandings(db, { contestId, roundId, level: "branch", districtId: filter.districtId });
    const name = districtRows.find((d) => d.unitId === filter.districtId)?.name ?? districtNames.get(filter.districtId) ?? "";
    return { title: t.board.branchesTitle(name), rows: unitView(rows) };
  }
  return { title: t.board.districtsTitle, rows: unitView(districtRows) };
}

/** Public rows: name, masked phone, unit; never a full phone number. */
function describeRows(
  db: Db,
  rows: {
    position: number;
    rankLabel?: string;
    userId: string;
    score: number;
    detail: string;
    prize?: string | null;
    fullName?: string;
    phone?: string;
    district?: string;
    branch?: string;
  }[],
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
  const described = rows.map((r) => {
    const p = r.fullName === undefined ? people.get(r.userId) : r;
    return {
      position: r.position,
      rankLabel: r.rankLabel ?? String(r.position),
      fullName: p?.fullName ?? "",
      phone: maskPhone(p?.phone ?? ""),
      unit: p ? `${p.branch} · ${p.district}` : "",
      score: formatNumber(r.score),
      detail: r.detail,
      prize: r.prize ?? null,
      isMe: r.userId === userId,
    };
  });
  rowOwners.set(
    described,
    rows.map((r) => r.userId),
  );
  return described;
}
