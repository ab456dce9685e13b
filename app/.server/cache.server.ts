/**
 * A few seconds of memory for figures many people ask for at once (live participation, charts
 * over frozen results), per database so tests never see each other's values.
 */
import type { Db } from "../../db/client";

const TTL_MS = 15_000;
const caches = new WeakMap<Db, Map<string, { at: number; value: unknown }>>();

export function cached<T>(db: Db, key: string, now: number, compute: () => T): T {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS && now >= hit.at) return hit.value as T;
  const value = compute();
  if (cache.size > 1000) cache.clear();
  cache.set(key, { at: now, value });
  return value;
}
