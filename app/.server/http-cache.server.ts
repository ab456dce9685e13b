/**
 * HTTP caching of pages that are the same for every visitor (a frozen leaderboard seen without a
 * session): an `ETag` made of the page's data version and the server build, and `Cache-Control`
 * that lets a browser, a reverse proxy or a CDN keep the page but ask again every time
 * (`must-revalidate`): the answer is then a 304 without rendering anything (app/entry.server.tsx
 * `handleRequest`), and a judge's decision (a new version) is seen at once. The loader marks the
 * request's load context (`markPublicPage`); the document handler adds the headers. Decision 013.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AppLoadContext } from "@remix-run/node";

/** The running build: a new deployment changes every page (new asset names), so every ETag. */
const buildId = (() => {
  try {
    return String(statSync(fileURLToPath(import.meta.url)).mtimeMs);
  } catch {
    return "dev";
  }
})();

export function publicPageHeaders(version: string): Record<string, string> {
  const tag = createHash("sha1").update(`${buildId}|${version}`).digest("base64url").slice(0, 20);
  return { ETag: `W/"${tag}"`, "Cache-Control": "public, max-age=0, must-revalidate" };
}

/** Whether the request's If-None-Match names this ETag (weak comparison, as for GET). */
export function matchesETag(ifNoneMatch: string | null, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

/** Marks the request's page as the same for every visitor at this data version. */
export function markPublicPage(context: AppLoadContext | undefined, version: string): void {
  if (context) context.publicPage = publicPageHeaders(version);
}
