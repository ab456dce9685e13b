/**
 * Frozen leaderboards answered before the framework (decision 013, "Leaderboard before the
 * framework"). An anonymous visitor (no `Cookie` header at all) of a frozen leaderboard gets the
 * bytes Remix rendered for the same URL — already compressed, gzip or brotli as the client accepts —
 * with the same headers (ETag, Cache-Control, CSP with the inline scripts' hashes, the security
 * headers), or a 304, without Express, Remix's route matching, the loaders or React.
 *
 * How a page gets here: the leaderboard's loader, for a request without a cookie, reads the page's
 * **stamp** (`boardStamp`) before any of its data and hands it to the document handler with the
 * ETag; app/entry.server.tsx keeps the rendered bytes (`keepBoardPage`). How it stays right: every
 * lean answer reads the stamp again (one prepared statement, a few microseconds) and serves the
 * kept bytes only while it is unchanged and no round of the contest has changed status since the
 * render (`validUntil`). The stamp names everything a frozen page is built from that can change:
 * the newest audit entry (every judge's decision and every staff change a page names is
 * audited), the contest's `updated_at` (its share image) and each round's window and
 * `results_computed_at` and the visible results versions of the rounds and the contest (a re-store
 * after a decision; the overall ranking switches just after its round's, decision 020). It is read from SQLite, so a decision taken
 * in another worker (or another process) is seen by the very next request here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, constants as zlibConstants, gzipSync } from "node:zlib";
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import { now } from "~/.server/clock.server";
import { getDb, type Db } from "~/.server/db.server";
import { matchesETag } from "~/.server/http-cache.server";
import { nextStatusChange, type RoundWindow } from "~/domain/schedule";

const brotliAsync = promisify(brotliCompress);

/** The public leaderboard's path (app/routes/cuoc-thi.$contestId.xep-hang.tsx). */
const BOARD_PATH = /^\/cuoc-thi\/([^/]+)\/xep-hang$/;

/** What a loader hands to the document handler so the rendered page can be kept. */
export interface BoardPageStamp {
  contestId: string;
  stamp: string;
  /** The next instant at which a round of the contest changes status: the page may differ then. */
  validUntil: number;
}

const stampStatements = new WeakMap<Database.Database, Statement<[{ id: string }], string | null>>();

/**
 * Everything a frozen leaderboard of the contest is built from that can change, in one string:
 * one prepared statement (the newest audit id is the rowid index's last entry).
 */
export function boardStamp(db: Db, contestId: string): string {
  const client = db.$client;
  let statement = stampStatements.get(client);
  if (!statement) {
    statement = client
      .prepare<[{ id: string }], string | null>(
        `select (select coalesce(max(id), 0) from audit_log)
           || '|' || coalesce((select updated_at || ':' || results_version from contests where id = @id), '-')
           || '|' || coalesce((select group_concat(r, ',') from (
                select id || ':' || opens_at || ':' || closes_at || ':' || coalesce(results_computed_at, '-') || ':' || results_version as r
                from rounds where contest_id = @id order by id)), '-')`,
      )
      .pluck();
    stampStatements.set(client, statement);
  }
  return statement.get({ id: contestId }) ?? "";
}

/** The stamp a loader hands on, with the next instant any of the contest's rounds changes status. */
export function boardPageStamp(contestId: string, stamp: string, rounds: readonly RoundWindow[], at: number): BoardPageStamp {
  let validUntil = Number.POSITIVE_INFINITY;
  for (const round of rounds) {
    const change = nextStatusChange(round, at);
    if (change !== null && change < validUntil) validUntil = change;
  }
  return { contestId, stamp, validUntil };
}

/**
 * The cache key: the URL as asked (path and query, byte for byte: the page names its own URL in its
 * share tags, so `?a&b` and `?b&a` are different pages) and the headers the page's origin is read
 * from. A request whose URL is not already in the form the server parses it to simply never
 * matches and goes to Remix.
 */
function keyOf(url: string, host: string | undefined, forwardedHost: string | undefined, forwardedProto: string | undefined): string {
  return `${forwardedProto ?? ""}|${forwardedHost ?? ""}|${host ?? ""}|${url}`;
}

/** The key of a page as Remix saw the request (app/entry.server.tsx). */
export function boardPageKey(request: Request): string {
  const url = new URL(request.url);
  const h = request.headers;
  return keyOf(
    `${url.pathname}${url.search}`,
    h.get("host") ?? undefined,
    h.get("x-forwarded-host") ?? undefined,
    h.get("x-forwarded-proto") ?? undefined,
  );
}

interface KeptPage {
  contestId: string;
  stamp: string;
  validUntil: number;
  etag: string;
  /** The headers of the 200, without any length or encoding. */
  headers: Record<string, string>;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer | null;
}

/** Per worker; the oldest go first. ~100 KB a page with both compressed copies. */
const MAX_PAGES = 300;
const pages = new Map<string, KeptPage>();

/** Compressions under way (on libuv's threads). */
const compressing = new Set<Promise<unknown>>();

/** Forgets every kept page (tests). */
export function forgetBoardPages(): void {
  pages.clear();
}

/** Resolves once every kept page has its compressed copies (tests). */
export async function boardPagesCompressed(): Promise<void> {
  while (compressing.size > 0) await Promise.all([...compressing]);
}

/**
 * Keeps a page Remix rendered for an anonymous request, with its stamp, and compresses it once:
 * gzip at once (about a millisecond for an 80 KB page, so the very next visitor is served here),
 * brotli on libuv's threads (tens of milliseconds at a good quality); until brotli is ready, a
 * client that accepts both gets gzip.
 */
export function keepBoardPage(key: string, stamp: BoardPageStamp, body: Uint8Array, headers: Iterable<[string, string]>): void {
  const existing = pages.get(key);
  const fields: Record<string, string> = {};
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === "content-length" || lower === "content-encoding" || lower === "transfer-encoding") continue;
    fields[lower] = fields[lower] === undefined ? value : `${fields[lower]}, ${value}`;
  }
  const etag = fields.etag;
  if (!etag) return;
  if (existing && existing.stamp === stamp.stamp && existing.etag === etag && existing.validUntil === stamp.validUntil) return;
  // Express's compression adds Accept-Encoding to Vary on the Remix path: the same here.
  fields.vary = fields.vary ? `${fields.vary}, Accept-Encoding` : "Accept-Encoding";
  const identity = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const page: KeptPage = { ...stamp, etag, headers: fields, identity, gzip: gzipSync(identity), br: null };
  pages.delete(key);
  if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value!);
  pages.set(key, page);
  const track = (work: Promise<unknown>) => {
    const tracked = work.catch(() => {}).finally(() => compressing.delete(tracked));
    compressing.add(tracked);
  };
  track(
    brotliAsync(identity, {
      params: {
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
        [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }).then((bytes) => (page.br = bytes)),
  );
}

/** The client's weight for a coding in Accept-Encoding (0 when absent or refused). */
function weights(acceptEncoding: string | undefined): Map<string, number> {
  const found = new Map<string, number>();
  if (!acceptEncoding) return found;
  for (const part of acceptEncoding.split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.trim().split("=");
      if (name === "q") q = Number(value);
    }
    found.set(coding, Number.isFinite(q) ? q : 0);
  }
  return found;
}

/**
 * br, else gzip, else identity, as Express's compression would choose (gzip while brotli is not
 * ready yet); null: let Remix answer.
 */
function chooseEncoding(acceptEncoding: string | undefined, brReady: boolean): "br" | "gzip" | "identity" | null {
  const w = weights(acceptEncoding);
  const star = w.get("*") ?? 0;
  const q = (coding: string) => w.get(coding) ?? star;
  if (q("br") > 0 && (brReady || q("gzip") <= 0)) return brReady ? "br" : null;
  if (q("gzip") > 0) return "gzip";
  if (q("deflate") > 0) return null; // a client that only takes deflate: rare, the full path serves it
  return "identity";
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Answers an anonymous GET/HEAD of a kept, still current frozen leaderboard and returns true;
 * otherwise returns false having written nothing (the caller hands the request to Express and
 * Remix, which render it — and keep it for the next visitor).
 */
export function serveBoardPage(req: IncomingMessage, res: ServerResponse): boolean {
  if ((req.method !== "GET" && req.method !== "HEAD") || !req.url || pages.size === 0) return false;
  if (req.headers.cookie !== undefined || req.headers["transfer-encoding"] !== undefined) return false;
  const length = req.headers["content-length"];
  if (length !== undefined && length !== "0") return false;
  const query = req.url.indexOf("?");
  if (!BOARD_PATH.test(query < 0 ? req.url : req.url.slice(0, query))) return false;
  const key = keyOf(req.url, header(req, "host"), header(req, "x-forwarded-host"), header(req, "x-forwarded-proto"));
  const page = pages.get(key);
  if (!page || now() >= page.validUntil) return false;
  let stamp: string;
  try {
    stamp = boardStamp(getDb(), page.contestId);
  } catch {
    return false; // the database is in trouble: the full path reports it as it always has
  }
  if (stamp !== page.stamp) {
    pages.delete(key);
    return false;
  }
  if (matchesETag(header(req, "if-none-match") ?? null, page.etag)) {
    res.writeHead(304, { ETag: page.etag, "Cache-Control": page.headers["cache-control"] ?? "no-cache", Vary: page.headers.vary! });
    res.end();
    return true;
  }
  const encoding = chooseEncoding(header(req, "accept-encoding"), page.br !== null);
  const body = encoding === "br" ? page.br : encoding === "gzip" ? page.gzip : encoding === "identity" ? page.identity : null;
  if (!body) return false;
  res.writeHead(200, {
    ...page.headers,
    ...(encoding === "identity" ? {} : { "Content-Encoding": encoding! }),
    "Content-Length": body.length,
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
