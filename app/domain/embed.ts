/**
 * Partner sites that may show a contest's embed (`/nhung/<contest>`) in an `<iframe>`: which
 * origins a contest may list, and the Content-Security-Policy `frame-ancestors` sent with it.
 * Every other page refuses to be framed (`frame-ancestors 'none'` and `X-Frame-Options: DENY`).
 * See docs/decisions/018-embeds-and-share-cards.md.
 */
import { shareText } from "~/i18n/share.vi";
import { escapeHtml } from "./html";

/**
 * The one page that may be framed says by whom through this response header from its route
 * (app/routes/nhung.$contestId.tsx); app/entry.server.tsx turns it into the CSP and removes it.
 */
export const FRAME_ANCESTORS_HEADER = "X-Cuocthi-Frame-Ancestors";

/** More would be a list nobody reviews; a province has a few dozen partner sites at most. */
export const MAX_EMBED_ORIGINS = 50;

/** Loopback hosts may be framed over plain http: a developer's machine or a test, never the public. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export type OriginCheck = { ok: true; origin: string } | { ok: false; message: string };

/**
 * One origin as an organizer writes it (`https://congdoan.lamdong.gov.vn`): the scheme, the host
 * and an optional port, nothing else. Returned in the form browsers compare (lower case, no
 * default port, no trailing slash, an international name in punycode).
 */
export function parseEmbedOrigin(raw: string): OriginCheck {
  const e = shareText.embed.errors;
  const text = raw.trim();
  if (!text) return { ok: false, message: e.empty };
  if (text.includes("*")) return { ok: false, message: e.wildcard(text) };
  if (/\s/.test(text) || /['";,]/.test(text)) return { ok: false, message: e.notOrigin(text) };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: e.notOrigin(text) };
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) return { ok: false, message: e.notHttps(text) };
  if (url.username || url.password) return { ok: false, message: e.notOrigin(text) };
  // `new URL` adds "/" to a bare origin; anything more is a page, not a site.
  if (url.pathname !== "/" || url.search || url.hash || /^https?:\/\/[^/]+\/./i.test(text) || /[?#]/.test(text)) {
    return { ok: false, message: e.hasPath(text, url.origin) };
  }
  if (!url.hostname.includes(".") && !loopback) return { ok: false, message: e.notOrigin(text) };
  return { ok: true, origin: url.origin };
}

/**
 * A list of origins (the contest file's `embedOrigins:` or the console's lines): each one checked,
 * duplicates dropped. `errors` carry the index of the item they are about, for `file:line`.
 */
export function parseEmbedOrigins(items: readonly string[]): { origins: string[]; errors: { index: number; message: string }[] } {
  const origins: string[] = [];
  const errors: { index: number; message: string }[] = [];
  items.forEach((item, index) => {
    const checked = parseEmbedOrigin(item);
    if (!checked.ok) errors.push({ index, message: checked.message });
    else if (!origins.includes(checked.origin)) origins.push(checked.origin);
  });
  if (origins.length > MAX_EMBED_ORIGINS)
    errors.push({ index: MAX_EMBED_ORIGINS, message: shareText.embed.errors.tooMany(MAX_EMBED_ORIGINS) });
  return { origins, errors };
}

/** The `frame-ancestors` directive of a contest's embed: this site, and the partners it lists. */
export function embedFrameAncestors(origins: readonly string[]): string {
  return ["frame-ancestors 'self'", ...origins].join(" ");
}

/** The path of a contest's embed page. */
export function embedPath(contestId: string): string {
  return `/nhung/${contestId}`;
}

export function isEmbedPath(pathname: string): boolean {
  return /^\/nhung\/[^/]+\/?$/.test(pathname);
}

/** The snippet an organizer pastes into a partner's page. */
export function embedSnippet(publicOrigin: string, contestId: string, title: string): string {
  const escaped = escapeHtml(title);
  return `<iframe src="${publicOrigin}${embedPath(contestId)}" title="${escaped}" width="100%" height="560" style="border:0;max-width:480px" loading="lazy"></iframe>`;
}
