/**
 * The live board's standings, served stale-while-revalidate (docs/decisions/014, "The live board
 * off the event loop").
 *
 * Ranking every finalized attempt of a round takes ~40 µs an attempt: seconds for a province-wide
 * round, during which a server worker would answer nothing. So a large round's ranking is computed
 * on the heavy-work thread (app/.server/heavy/live-standings.server.ts): a request gets the last
 * computed standings at once, with their age; standings older than LIVE_TTL_MS start one
 * recomputation (never two at once for a round, per process; the 15 s count from the first request
 * that found the last one computed); before the first one exists the
 * page says "đang tổng hợp" and reloads itself. A round below LIVE_INLINE_BELOW participants is
 * ranked in the request, as before: a few milliseconds, and its page never waits for a reload.
 * The participation counts of an open round (shown whether or not the ranking is) are computed the
 * same way: ~1 s at 100,000 attempts.
 */
import type { Db } from "../../db/client";
import { rankLabel, sharedRanks } from "~/domain/ranking";
import type { LeaderboardFilter } from "./results.server";
import { computeLiveRound, roundAttemptCount, type LiveRound, type LiveStandings } from "./heavy/live-standings.server";
import { runHeavy } from "./heavy/pool.server";

/** How long computed standings are served before one recomputation starts (as the old cache's TTL). */
export const LIVE_TTL_MS = 15_000;
/**
 * Below this many attempts a round is counted and ranked in the request. Measured at 100,000 on this
 * 2-core machine under other work (docs/decisions/014): ranking 33–61 µs an attempt, the counts
 * 9–21 µs, so 500 attempts are ~25–40 ms of the event loop — well under the 100 ms rule — and a
 * practice round or a small contest never shows "đang tổng hợp".
 */
export const LIVE_INLINE_BELOW = 500;

/** What the live board read from a computation: when, and the lookups kept with it. */
export interface LiveSnapshot {
  /** The request time (injected clock) that asked for it: its age, as the page shows it, is measured from there. */
  at: number;
  /**
   * The time of the first request that found it computed: it stays fresh for LIVE_TTL_MS from
   * there. Counting from `at` instead would start the next computation at once whenever one takes
   * longer than LIVE_TTL_MS (a loaded machine, a huge round), keeping the heavy-work thread busy.
   */
  readyAt: number | null;
  participation: LiveRound["participation"];
  standings: LiveStandings | null;
  /** The members' ids, by index of the standings' columns. */
  ids: string[];
  /** The listing of each filter asked for so far: indices into the columns and each one's shared rank within. */
  listings: Map<string, { indices: number[]; within: number[] }>;
  /** Each member's index in the columns, made at the first request that looks a member up. */
  entries: Map<string, number> | null;
}

interface RoundState {
  snapshot: LiveSnapshot | null;
  /** The recomputation in flight on the heavy-work thread, if any: at most one per round and kind. */
  refreshing: Promise<void> | null;
  /** Recomputations started on the heavy-work thread (for the tests and the bench). */
  started: number;
}

const states = new WeakMap<Db, Map<string, RoundState>>();

function stateOf(db: Db, roundId: number, ranked: boolean): RoundState {
  let rounds = states.get(db);
  if (!rounds) states.set(db, (rounds = new Map()));
  const key = `${roundId}:${ranked ? "ranked" : "counts"}`;
  let state = rounds.get(key);
  if (!state) rounds.set(key, (state = { snapshot: null, refreshing: null, started: 0 }));
  return state;
}

function snapshotOf(at: number, live: LiveRound): LiveSnapshot {
  const ids = live.standings?.count ? live.standings.userIds.split("\n") : [];
  return { at, readyAt: null, participation: live.participation, standings: live.standings, ids, listings: new Map(), entries: null };
}

/**
 * What the live board of an open round shows, for a request at `now`: the last computed snapshot,
 * or null while the first computation of a large round runs. `ranked`: with the live ranking (the
 * contest shows it), else the participation counts only. Never computes a large round here: when
 * what it has is older than LIVE_TTL_MS (or nothing), it starts one computation on the heavy-work
 * thread — none if one is already running for the round — and answers with what it has.
 */
export function liveSnapshot(db: Db, roundId: number, ranked: boolean, now: number): LiveSnapshot | null {
  const state = stateOf(db, roundId, ranked);
  const current = state.snapshot;
  if (current) current.readyAt ??= now;
  if (current && now >= current.readyAt! && now - current.readyAt! < LIVE_TTL_MS) return current;
  if (state.refreshing) return current;
  // The last computation's size, else a count on an index: a round that was large stays large.
  const size = current ? Math.max(current.participation.total, current.standings?.count ?? 0) : roundAttemptCount(db, roundId);
  if (size < LIVE_INLINE_BELOW) {
    state.snapshot = { ...snapshotOf(now, computeLiveRound(db, roundId, ranked)), readyAt: now };
    return state.snapshot;
  }
  state.started++;
  state.refreshing = runHeavy("liveRound", { roundId, ranked }, db)
    .then(
      (live) => {
        if (!state.snapshot || state.snapshot.at <= now) state.snapshot = snapshotOf(now, live);
      },
      // The pool logged the failure; what was shown stays, and the next request tries again.
      () => {},
    )
    .finally(() => {
      state.refreshing = null;
    });
  return current;
}

/** The computation in flight for a round's live board, and how many were started: for tests and the bench. */
export function liveRefresh(db: Db, roundId: number, ranked: boolean): { refreshing: Promise<void> | null; started: number } {
  const state = stateOf(db, roundId, ranked);
  return { refreshing: state.refreshing, started: state.started };
}

/**
 * The members matching a filter, in live order, with their rank within that listing: members
 * equal on every criterion share a rank ("3="), as in stored results. Kept with the snapshot per
 * filter, so a request only slices.
 */
export function liveListing(snapshot: LiveSnapshot & { standings: LiveStandings }, filter: LeaderboardFilter) {
  const key = `${filter.districtId ?? ""}|${filter.branchId ?? ""}`;
  let listing = snapshot.listings.get(key);
  if (listing) return listing;
  const { standings } = snapshot;
  const unit = (id: string | undefined) => (id ? standings.units.indexOf(id) : -1);
  const district = unit(filter.districtId);
  const branch = unit(filter.branchId);
  const indices: number[] = [];
  // A filter naming a unit nobody in the round belongs to matches nobody.
  if (!(filter.districtId && district < 0) && !(filter.branchId && branch < 0)) {
    for (let i = 0; i < standings.count; i++) {
      if ((district < 0 || standings.district[i] === district) && (branch < 0 || standings.branch[i] === branch)) indices.push(i);
    }
  }
  const within = sharedRanks(indices, (a, b) => standings.rank[a] === standings.rank[b]);
  listing = { indices, within };
  if (snapshot.listings.size >= 200) snapshot.listings.clear();
  snapshot.listings.set(key, listing);
  return listing;
}

/** A member's index in the snapshot's columns, or -1: one Map read, not a scan of every id per request. */
export function liveEntryOf(snapshot: LiveSnapshot, userId: string): number {
  snapshot.entries ??= new Map(snapshot.ids.map((id, i) => [id, i]));
  return snapshot.entries.get(userId) ?? -1;
}

/** The rank label ("3" or "3=") of the member at `i` of a listing. */
export function liveRankLabel(listing: { within: number[] }, i: number): string {
  const { within } = listing;
  return rankLabel(within[i]!, within[i - 1] === within[i] || within[i + 1] === within[i]);
}
