/**
 * The quiz's clock: the server's remaining time, counted down with `performance.now()`, which is
 * monotonic (changing the phone's clock does not move it), from the moment the server's answer
 * started to arrive (so the seconds a slow page took to load are already counted).
 */

/** `performance.now()` at which the page's data (carrying the server's `now`) began to arrive. */
export function dataArrivedAt(pagePath: string): number {
  if (typeof performance === "undefined") return 0;
  try {
    // A client-side navigation fetched `<path>.data`; a full load is the navigation itself.
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    const data = resources.filter((r) => r.name.includes(`${pagePath}.data`)).at(-1);
    if (data && data.responseStart > 0) return data.responseStart;
    const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    if (navigation && navigation.responseStart > 0 && new URL(navigation.name).pathname === pagePath) {
      return navigation.responseStart;
    }
  } catch {
    // no timing API: count from now
  }
  return performance.now();
}

/** The server's clock as the page estimates it: its `now` plus the monotonic time since. */
export function serverClock(serverNow: number, arrivedAt: number): () => number {
  return () => serverNow + (performance.now() - arrivedAt);
}
