/**
 * Participants over time, cumulative: the buckets a round's span is cut into, and the running
 * total from the count of members whose first finalized attempt falls in each bucket.
 */
const HOUR = 3_600_000;
/** Bucket sizes, smallest first: a chart keeps at most MAX_POINTS points, readable on a phone. */
const SIZES = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 7 * 24 * HOUR];
export const MAX_POINTS = 60;

/** The smallest bucket size that cuts [from, to) into at most MAX_POINTS buckets. */
export function bucketSize(from: number, to: number): number {
  const span = Math.max(0, to - from);
  return SIZES.find((size) => Math.ceil(span / size) <= MAX_POINTS) ?? SIZES[SIZES.length - 1]!;
}

export interface CumulativePoint {
  /** The bucket's end (the instant the total is read at). */
  at: number;
  total: number;
}

/**
 * The running total at the end of each bucket from `from` to `to` (the round's open, and its close
 * or now, whichever comes first), from `firsts`: bucket index → members who took part first then.
 * A member counted before `from` (an attempt before the open: none by the rules) counts at once.
 */
export function cumulativeSeries(from: number, to: number, size: number, firsts: ReadonlyMap<number, number>): CumulativePoint[] {
  const buckets = Math.max(1, Math.ceil((to - from) / size));
  let total = 0;
  for (const [index, count] of firsts) if (index < 0) total += count;
  const points: CumulativePoint[] = [{ at: from, total }];
  for (let i = 0; i < buckets; i++) {
    total += firsts.get(i) ?? 0;
    points.push({ at: Math.min(to, from + (i + 1) * size), total });
  }
  // Anything counted after `to` (the clock moved on between the query and now) belongs to the end.
  for (const [index, count] of firsts) if (index >= buckets) points[points.length - 1]!.total += count;
  return points;
}
