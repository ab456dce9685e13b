/**
 * How ties are broken, who wins what. Pure functions over finalized attempts:
 * - within a round, one entry per member: their best attempt by the contest's chain of criteria
 *   (default: higher score, prediction closer to the actual count, shorter duration, earlier
 *   finalization); disqualified members are left out;
 * - members equal on every criterion share the rank ("3="), never split by an id; a shared rank
 *   that straddles a prize boundary waits for the judges' recorded draw (docs/decisions/012);
 * - prize tiers are given down the ranking, optionally one prize per person for the whole contest;
 * - across a contest, members are ranked by the sum of their best round scores, then more rounds
 *   taken, then the contest's other criteria summed (the latest finalization for "finishedAt").
 */
export type RankingCriterion = "score" | "prediction" | "duration" | "finishedAt";
export type PredictionTarget = "participants" | "perfect-scores";

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
  /** Shared by members equal on every criterion of the order. */
  rank: number;
  /** 1, 2, 3… in listing order (distinct even within a shared rank). */
  position: number;
  predictionDistance: number;
  prize: string | null;
  /** A shared rank straddling a prize boundary, with no draw recorded yet: its prizes are undecided. */
  drawPending: boolean;
  /** This member's place in the recorded draw of their tied group, when one decided their prize. */
  drawPlace: number | null;
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

/**
 * The number the prediction question asks about: the members who took part, or the members with
 * at least one perfect finalized attempt in the round (any attempt, not only their best).
 */
export function predictionActual(
  target: PredictionTarget,
  attempts: readonly Pick<RankableAttempt, "userId" | "score" | "maxScore">[],
): number {
  const members = new Set<string>();
  for (const a of attempts) if (target === "participants" || a.score === a.maxScore) members.add(a.userId);
  return members.size;
}

/** Zero when two entries are equal on every criterion of the order (a complete tie). */
function criteriaDifference(order: readonly RankingCriterion[], actual: number, a: RankableAttempt, b: RankableAttempt): number {
  for (const criterion of order) {
    let difference = 0;
    if (criterion === "score") difference = b.score - a.score;
    else if (criterion === "prediction") {
      difference = predictionDistance(a.prediction, actual) - predictionDistance(b.prediction, actual);
    } else if (criterion === "duration") difference = a.durationMs - b.durationMs;
    else difference = a.finalizedAt - b.finalizedAt;
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Negative when `a` ranks before `b`. The last resort (user id, attempt id) only makes the listing
 * order stable: members it separates share their rank (`rankRound`).
 */
export function attemptComparator(order: readonly RankingCriterion[], actual: number) {
  return (a: RankableAttempt, b: RankableAttempt): number =>
    criteriaDifference(order, actual, a, b) ||
    (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0);
}

/**
 * Each member's best attempt, with the prediction's answer (`actual`) and the members who took
 * part (`participants`, disqualified members included). Neither count depends on which attempt is
 * best, so the best attempt is chosen with the answer already known.
 */
export function bestAttemptPerMember(
  attempts: readonly RankableAttempt[],
  order: readonly RankingCriterion[],
  target: PredictionTarget = "participants",
): { best: Map<string, RankableAttempt>; actual: number; participants: number } {
  const participants = new Set(attempts.map((a) => a.userId)).size;
  const actual = predictionActual(target, attempts);
  const compare = attemptComparator(order, actual);
  const best = new Map<string, RankableAttempt>();
  for (const attempt of attempts) {
    const current = best.get(attempt.userId);
    if (!current || compare(attempt, current) < 0) best.set(attempt.userId, attempt);
  }
  return { best, actual, participants };
}

/**
 * Shared ranks down a list already in ranking order: an entry equal to the one before it (`same`)
 * takes its rank, the next different one the rank of its position ("1, 2, 2, 4").
 */
export function sharedRanks<T>(sorted: readonly T[], same: (a: T, b: T) => boolean): number[] {
  const ranks: number[] = [];
  sorted.forEach((entry, index) => ranks.push(index > 0 && same(sorted[index - 1]!, entry) ? ranks[index - 1]! : index + 1));
  return ranks;
}

/** How a rank is written on pages and in exports: "3", or "3=" when shared. */
export function rankLabel(rank: number, shared: boolean): string {
  return shared ? `${rank}=` : String(rank);
}

/** The key of a group of members, whatever their order (a recorded draw matches it). */
export function groupKey(userIds: readonly string[]): string {
  return [...userIds].sort().join(",");
}

/**
 * Gives prize tiers down a ranked list; members in `ineligible` (already won) and entries scoring
 * below `minScore` (an abandoned 0-point attempt) are passed over, and the prize goes further down.
 * Members sharing a rank (`rank` equal) get the same prize when the slots they take hold the same
 * prize; when those slots differ (the group straddles a prize boundary) the prizes go in the order
 * of the judges' recorded draw for exactly that group (`draws`, members in drawn order), and
 * without one the group's slots are held and its members are marked `drawPending`.
 */
export function assignPrizes<T extends { userId: string; score?: number; rank?: number }>(
  ranked: readonly T[],
  tiers: readonly PrizeTier[],
  ineligible: ReadonlySet<string> = new Set(),
  minScore: number | null = null,
  draws: readonly (readonly string[])[] = [],
): (T & { prize: string | null; drawPending: boolean; drawPlace: number | null })[] {
  const slots = tiers.flatMap((tier) => Array.from({ length: tier.count }, () => tier.name));
  const drawn = new Map(draws.map((members) => [groupKey(members), members]));
  const out: (T & { prize: string | null; drawPending: boolean; drawPlace: number | null })[] = [];
  let next = 0;
  for (let start = 0; start < ranked.length;) {
    let end = start + 1;
    while (end < ranked.length && ranked[end]!.rank !== undefined && ranked[end]!.rank === ranked[start]!.rank) end++;
    const group = ranked.slice(start, end);
    const eligible = group.filter((e) => !ineligible.has(e.userId) && !(minScore !== null && (e.score ?? 0) < minScore));
    const taken = eligible.map((_, i) => slots[next + i] ?? null);
    const straddles = new Set(taken).size > 1;
    const draw = straddles ? drawn.get(groupKey(eligible.map((e) => e.userId))) : undefined;
    for (const entry of group) {
      const index = eligible.indexOf(entry);
      if (index < 0) out.push({ ...entry, prize: null, drawPending: false, drawPlace: null });
      else if (!straddles) out.push({ ...entry, prize: taken[index]!, drawPending: false, drawPlace: null });
      else if (draw) {
        const place = draw.indexOf(entry.userId);
        out.push({ ...entry, prize: taken[place]!, drawPending: false, drawPlace: place + 1 });
      } else out.push({ ...entry, prize: null, drawPending: true, drawPlace: null });
    }
    next += eligible.length;
    start = end;
  }
  return out;
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
  /** The judges' recorded draws: each a tied group's members in drawn order. */
  draws?: readonly (readonly string[])[];
}

export function rankRound({
  attempts,
  order = DEFAULT_RANKING,
  target = "participants",
  disqualified = new Set(),
  prizes = [],
  alreadyWon = new Set(),
  minPrizeScore = null,
  draws = [],
}: RoundRankingInput): { entries: RankedEntry[]; actual: number; participants: number } {
  // Both counts include disqualified members: they did take part, and the counts must not move
  // when a judge disqualifies someone after the round.
  const { best, actual, participants } = bestAttemptPerMember(attempts, order, target);
  const sorted = [...best.values()].filter((a) => !disqualified.has(a.userId)).sort(attemptComparator(order, actual));
  const ranks = sharedRanks(sorted, (a, b) => criteriaDifference(order, actual, a, b) === 0);
  const ranked = sorted.map((a, index) => ({
    ...a,
    rank: ranks[index]!,
    position: index + 1,
    predictionDistance: predictionDistance(a.prediction, actual),
  }));
  return { entries: assignPrizes(ranked, prizes, alreadyWon, minPrizeScore, draws), actual, participants };
}

export interface OverallEntry {
  userId: string;
  /** Shared by members equal on every criterion. */
  rank: number;
  /** 1, 2, 3… in listing order. */
  position: number;
  totalScore: number;
  rounds: number;
  predictionDistance: number;
  durationMs: number;
  /** The latest of the member's round finalizations (their last one). */
  finalizedAt: number;
}

/**
 * The contest's overall ranking from each round's (non-disqualified) entries: the total of best
 * round scores, then more rounds taken (summed tie-breaks would otherwise favour whoever played
 * less), then the contest's other criteria: the summed prediction distances, the summed durations,
 * the earliest last finalization.
 */
export function rankOverall(
  rounds: readonly (readonly Pick<RankedEntry, "userId" | "score" | "predictionDistance" | "durationMs" | "finalizedAt">[])[],
  order: readonly RankingCriterion[] = DEFAULT_RANKING,
): OverallEntry[] {
  const totals = new Map<string, Omit<OverallEntry, "rank" | "position">>();
  for (const entries of rounds) {
    for (const e of entries) {
      const t = totals.get(e.userId) ?? {
        userId: e.userId,
        totalScore: 0,
        rounds: 0,
        predictionDistance: 0,
        durationMs: 0,
        finalizedAt: 0,
      };
      t.totalScore += e.score;
      t.rounds += 1;
      t.predictionDistance += e.predictionDistance;
      t.durationMs += e.durationMs;
      t.finalizedAt = Math.max(t.finalizedAt, e.finalizedAt);
      totals.set(e.userId, t);
    }
  }
  const criteria = order.includes("score") ? order : (["score", ...order] as RankingCriterion[]);
  const difference = (a: Omit<OverallEntry, "rank" | "position">, b: Omit<OverallEntry, "rank" | "position">): number => {
    for (const criterion of criteria) {
      let d = 0;
      if (criterion === "score") d = b.totalScore - a.totalScore || b.rounds - a.rounds;
      else if (criterion === "prediction") d = a.predictionDistance - b.predictionDistance;
      else if (criterion === "duration") d = a.durationMs - b.durationMs;
      else d = a.finalizedAt - b.finalizedAt;
      if (d !== 0) return d;
    }
    return 0;
  };
  const sorted = [...totals.values()].sort((a, b) => difference(a, b) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const ranks = sharedRanks(sorted, (a, b) => difference(a, b) === 0);
  return sorted.map((t, index) => ({ ...t, rank: ranks[index]!, position: index + 1 }));
}

export interface UnitStanding {
  unitId: string;
  name: string;
  participants: number;
  totalScore: number;
  averageScore: number;
  /** For a district, how many of its branches have a ranked member (1 for a branch). */
  branchesRepresented: number;
}

/**
 * Districts or branches by participation (the collective prizes) or by average score. Entries are
 * ranked members only: a disqualified member counts neither as a participant nor in the average.
 * Each entry is one member's score in one round; `userId` lets a member who took several rounds
 * count once as a participant while each round they took counts once in the average.
 */
export function rankUnits(
  entries: readonly { unitId: string; name?: string; branchId?: string; userId?: string; score: number }[],
  by: "participants" | "average" = "participants",
): (UnitStanding & { rank: number })[] {
  const units = new Map<string, UnitStanding & { rows: number; members: Set<string>; branches: Set<string> }>();
  for (const [index, e] of entries.entries()) {
    const u = units.get(e.unitId) ?? {
      unitId: e.unitId,
      name: e.name ?? e.unitId,
      participants: 0,
      totalScore: 0,
      averageScore: 0,
      branchesRepresented: 0,
      rows: 0,
      members: new Set<string>(),
      branches: new Set<string>(),
    };
    u.members.add(e.userId ?? `#${index}`);
    u.branches.add(e.branchId ?? e.unitId);
    u.rows += 1;
    u.totalScore += e.score;
    units.set(e.unitId, u);
  }
  const list = [...units.values()].map(({ rows, members, branches, ...u }) => ({
    ...u,
    participants: members.size,
    averageScore: rows ? u.totalScore / rows : 0,
    branchesRepresented: branches.size,
  }));
  return orderUnits(list, by);
}

/**
 * Ranks aggregated unit rows. By participants: more participants, then the higher average, then
 * more branches represented, then the name. By average: the higher average, then more
 * participants, then more branches, then the name.
 */
export function orderUnits<
  U extends { unitId: string; name?: string; participants: number; averageScore: number; branchesRepresented?: number },
>(units: readonly U[], by: "participants" | "average"): (U & { rank: number })[] {
  const byName = (a: U, b: U) => (a.name ?? a.unitId).localeCompare(b.name ?? b.unitId, "vi") || a.unitId.localeCompare(b.unitId);
  const byBranches = (a: U, b: U) => (b.branchesRepresented ?? 1) - (a.branchesRepresented ?? 1);
  return [...units]
    .sort((a, b) =>
      by === "participants"
        ? b.participants - a.participants || b.averageScore - a.averageScore || byBranches(a, b) || byName(a, b)
        : b.averageScore - a.averageScore || b.participants - a.participants || byBranches(a, b) || byName(a, b),
    )
    .map((u, index) => ({ ...u, rank: index + 1 }));
}
