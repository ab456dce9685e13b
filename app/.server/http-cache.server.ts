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
  // Vary: a proxy must not hand this visitor's page to a logged-in member (their page differs).
  return { ETag: `W/"${tag}"`, "Cache-Control": "public, max-age=0, must-revalidate", Vary: "Cookie" };
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

/**
 * The CSP sources for the inline scripts of a page that is rendered once and served to many: a
 * per-response nonce cannot be used (the bytes are shared), so each inline script is allowed by
 * its SHA-256 instead — exactly those scripts, nothing injected later. Scripts with `src` are
 * covered by 'self'.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(match[1]!)) continue;
    hashes.add(`'sha256-${createHash("sha256").update(match[2]!, "utf8").digest("base64")}'`);
  }
  return [...hashes];
}

/**
 * Rendered public pages, per process: the same URL at the same ETag is the same bytes, so the
 * second visitor gets them without React rendering anything. At most MAX_RENDERED pages.
 */
const MAX_RENDERED = 300;
const rendered = new Map<string, { body: Uint8Array; headers: [string, string][] }>();

export function renderedPage(key: string) {
  return rendered.get(key);
}

export function keepRenderedPage(key: string, body: Uint8Array, headers: Headers): void {
  if (rendered.size >= MAX_RENDERED) rendered.delete(rendered.keys().next().value!);
  rendered.set(key, { body, headers: [...headers.entries()] });
}
