/**
 * Page numbers from the address bar (`?trang=`): anything that is not a whole number from 1 up to
 * the limit is page 1 or the limit, so `?trang=1e308`, `?trang=-5` or `?trang=abc` never reach a
 * query as an absurd offset.
 */
export const MAX_PAGE = 100_000;

export function pageNumber(raw: string | null | undefined, max = MAX_PAGE): number {
  if (raw === null || raw === undefined || !/^\s*\d{1,9}\s*$/.test(raw)) return 1;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) return 1;
  return Math.min(n, Math.max(1, max));
}
