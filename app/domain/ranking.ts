/**
 * How ties are broken, who wins what. Pure functions over finalized attempts:
 * - within a round, one entry per member: their best attempt by the contest's chain of criteria
 *   (default: higher score, prediction closer to the actual count, shorter duration, earlier
 *   finalization); disqualified members are left out;
 * - prize tiers are given down the ranking, optionally one prize per person for the whole contest;
 * - across a contest, members are ranked by the sum of their best round scores, then the same
 *   tie-breaks summed.
 */
import type { PredictionTarget, RankingCriterion } from "../../db/schema";

export const DEFAULT_RANKING: RankingCriterion[] = ["score", "prediction", "duration", "finishedAt"];

export interface RankableAttempt {
  attemptId: string;
  userId: string;
  score: number;
  maxScore: number;
  correctCount: number;
  prediction: number | null;
  durationMs: number;
  finalizedAt: number;
}

export interface RankedEntry extends RankableAttempt {
  rank: number;
  predictionDistance: number;
  prize: string | null;
}

export interface PrizeTier {
  name: string;
  count: number;
}

/**
 * How far a prediction is from the actual number. No prediction counts as predicting 0, so it is
 * never better than any real guess and sums stay finite across rounds.
 */
export function predictionDistance(prediction: number | null, actual: number): number {
  return Math.abs((prediction ?? 0) - actual);
}

/** The number the prediction question asks about, from every member's best attempt. */
export function predictionActual(
  target: PredictionTarget,
  bestByMember: ReadonlyMap<string, Pick<RankableAttempt, "score" | "maxScore">>,
): number {
  if (target === "participants") return bestByMember.size;
  let perfect = 0;
  for (const attempt of bestByMember.values()) if (attempt.score === attempt.maxScore) perfect++;
  return perfect;
}

/** Negative when `a` ranks before `b`. The last resort (user id) makes the order total and stable. */
export function attemptComparator(order: readonly RankingCriterion[], actual: number) {
  return (a: RankableAttempt, b: RankableAttempt): number => {
    for (const criterion of order) {
      let difference = 0;
      if (criterion === "score") difference = b.score - a.score;
      else if (criterion === "prediction") {
        difference = predictionDistance(a.prediction, actual) - predictionDistance(b.prediction, actual);
      } else if (criterion === "duration") difference = a.durationMs - b.durationMs;
      else difference = a.finalizedAt - b.finalizedAt;
      if (difference !== 0) return difference;
    }
    return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.attemptId < b.attemptId ? -1 : 1;
  };
}

/**
 * Each member's best attempt. Which attempt is best can depend on the prediction, whose target
 * depends on who took part: participants are known without it, so the best attempt is chosen with
 * the actual count of members.
 */
export function bestAttemptPerMember(
  attempts: readonly RankableAttempt[],
  order: readonly RankingCriterion[],
  target: PredictionTarget = "participants",
): { best: Map<string, RankableAttempt>; actual: number } {
  const members = new Set(attempts.map((a) => a.userId));
  // For "perfect-scores" the count is the members whose best score is perfect: score alone decides it.
  const byScore = new Map<string, RankableAttempt>();
  for (const attempt of attempts) {
    const current = byScore.get(attempt.userId);
    if (!current || attempt.score > current.score) byScore.set(attempt.userId, attempt);
  }
  const actual = target === "participants" ? members.size : predictionActual(target, byScore);
  const compare = attemptComparator(order, actual);
  const best = new Map<string, RankableAttempt>();
  for (const attempt of attempts) {
    const current = best.get(attempt.userId);
    if (!current || compare(attempt, current) < 0) best.set(attempt.userId, attempt);
  }
  return { best, actual };
}

/**
 * Gives prize tiers down a ranked list; members in `ineligible` (already won) and entries scoring
 * below `minScore` (an abandoned 0-point attempt) are passed over, and the prize goes further down.
 */
export function assignPrizes<T extends { userId: string; score?: number }>(
  ranked: readonly T[],
  tiers: readonly PrizeTier[],
  ineligible: ReadonlySet<string> = new Set(),
  minScore: number | null = null,
): (T & { prize: string | null })[] {
  const slots = tiers.flatMap((tier) => Array.from({ length: tier.count }, () => tier.name));
  let next = 0;
  return ranked.map((entry) => {
    const belowMinimum = minScore !== null && (entry.score ?? 0) < minScore;
    if (next < slots.length && !ineligible.has(entry.userId) && !belowMinimum) return { ...entry, prize: slots[next++]! };
    return { ...entry, prize: null };
  });
}

export interface RoundRankingInput {
  attempts: readonly RankableAttempt[];
  order?: readonly RankingCriterion[];
  target?: PredictionTarget;
  disqualified?: ReadonlySet<string>;
  prizes?: readonly PrizeTier[];
  /** With one prize per person: members who already won a prize in an earlier round. */
  alreadyWon?: ReadonlySet<string>;
  /** A prize needs at least this score (null: any score). */
  minPrizeScore?: number | null;
}

export function rankRound({
  attempts,
  order = DEFAULT_RANKING,
  target = "participants",
  disqualified = new Set(),
  prizes = [],
  alreadyWon = new Set(),
  minPrizeScore = null,
}: RoundRankingInput): { entries: RankedEntry[]; actual: number } {
  // The actual count includes disqualified members: they did take part, and the count must not
  // move when a judge disqualifies someone after the round.
  const { best, actual } = bestAttemptPerMember(attempts, order, target);
  const compare = attemptComparator(order, actual);
  const ranked = [...best.values()]
    .filter((a) => !disqualified.has(a.userId))
    .sort(compare)
    .map((a, index) => ({ ...a, rank: index + 1, predictionDistance: predictionDistance(a.prediction, actual) }));
  return { entries: assignPrizes(ranked, prizes, alreadyWon, minPrizeScore), actual };
}

export interface OverallEntry {
  userId: string;
  rank: number;
  totalScore: number;
  rounds: number;
  predictionDistance: number;
  durationMs: number;
  finalizedAt: number;
}

/** The contest's overall ranking from each round's (non-disqualified) entries. */
export function rankOverall(
  rounds: readonly (readonly Pick<RankedEntry, "userId" | "score" | "predictionDistance" | "durationMs" | "finalizedAt">[])[],
  order: readonly RankingCriterion[] = DEFAULT_RANKING,
): OverallEntry[] {
  const totals = new Map<string, Omit<OverallEntry, "rank">>();
  for (const entries of rounds) {
    for (const e of entries) {
      const t = totals.get(e.userId) ?? { userId: e.userId, totalScore: 0, rounds: 0, predictionDistance: 0, durationMs: 0, finalizedAt: 0 };
      t.totalScore += e.score;
      t.rounds += 1;
      t.predictionDistance += e.predictionDistance;
      t.durationMs += e.durationMs;
      t.finalizedAt += e.finalizedAt;
      totals.set(e.userId, t);
    }
  }
  const compare = (a: Omit<OverallEntry, "rank">, b: Omit<OverallEntry, "rank">): number => {
    for (const criterion of order) {
      let difference = 0;
      if (criterion === "score") difference = b.totalScore - a.totalScore;
      else if (criterion === "prediction") difference = a.predictionDistance - b.predictionDistance;
      else if (criterion === "duration") difference = a.durationMs - b.durationMs;
      else difference = a.finalizedAt - b.finalizedAt;
      if (difference !== 0) return difference;
    }
    return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
  };
  return [...totals.values()].sort(compare).map((t, index) => ({ ...t, rank: index + 1 }));
}

export interface UnitStanding {
  unitId: string;
  participants: number;
  totalScore: number;
  averageScore: number;
}

/** Districts or branches by participation (the collective prizes) and by average score. */
export function rankUnits(
  entries: readonly { unitId: string; score: number }[],
  by: "participants" | "average" = "participants",
): (UnitStanding & { rank: number })[] {
  const units = new Map<string, UnitStanding>();
  for (const e of entries) {
    const u = units.get(e.unitId) ?? { unitId: e.unitId, participants: 0, totalScore: 0, averageScore: 0 };
    u.participants += 1;
    u.totalScore += e.score;
    units.set(e.unitId, u);
  }
  const list = [...units.values()].map((u) => ({ ...u, averageScore: u.participants ? u.totalScore / u.participants : 0 }));
  return orderUnits(list, by);
}

/** Ranks aggregated unit rows: by participants (ties: higher average) or by average (ties: more participants). */
export function orderUnits<U extends { unitId: string; participants: number; averageScore: number }>(
  units: readonly U[],
  by: "participants" | "average",
): (U & { rank: number })[] {
  return [...units]
    .sort((a, b) =>
      by === "participants"
        ? b.participants - a.participants || b.averageScore - a.averageScore || a.unitId.localeCompare(b.unitId)
        : b.averageScore - a.averageScore || b.participants - a.participants || a.unitId.localeCompare(b.unitId),
    )
    .map((u, index) => ({ ...u, rank: index + 1 }));
}
