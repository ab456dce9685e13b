/**
 * What the production server checks before a request reaches Remix (app/.server/serve.mjs mounts
 * it first). Each refusal is a 4xx page in Vietnamese and one log line, never a stack trace:
 *
 * - a cross-site state-changing request (an `Origin` that is not this site, `null`, or unreadable):
 *   403. Remix has its own check, which throws and answers an empty 500 with a stack in the log;
 *   it never runs for these requests because this one answers first.
 * - a body larger than the cap (form posts 1 MB, the bank and units uploads 2 MB): 413, from the
 *   `Content-Length` before reading anything, or while counting a chunked body's bytes;
 * - a body that is not a form (JSON, XML…): 415; a multipart body that cannot be parsed: 400.
 *
 * A body that passes is kept (at most the cap, in memory) in `res.locals.body` for the Remix
 * handler, so it is read once. Also sends HSTS when cookies are secure.
 */
import type { IncomingMessage } from "node:http";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { accountsText } from "~/i18n/accounts.vi";
import { escapeHtml } from "~/domain/html";
import { secureCookies } from "./env.server";

export const FORM_BODY_LIMIT = 1024 * 1024;
export const UPLOAD_BODY_LIMIT = 2 * 1024 * 1024;

/** Pages that take a file: a question bank (.md) and the units list. */
const UPLOAD_PATHS = [/^\/to-chuc\/bo-cau-hoi\//, /^\/to-chuc\/don-vi(?:[/.?]|$)/];

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

export function bodyLimitFor(path: string): number {
  return UPLOAD_PATHS.some((pattern) => pattern.test(path)) ? UPLOAD_BODY_LIMIT : FORM_BODY_LIMIT;
}

function page(message: string): string {
  const f = accountsText.frontDoor;
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(f.title)}</title></head><body><main><h1>${escapeHtml(f.title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">${escapeHtml(f.backHome)}</a></p></main></body></html>`;
}

function refuse(req: ExpressRequest, res: ExpressResponse, status: number, message: string, reason: string, close = false): void {
  console.warn(`[cuocthi] ${status} ${req.method} ${req.path}: ${reason}`);
  if (res.headersSent) return;
  res.status(status);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  // Unread bytes of a refused upload are not waited for: the connection closes after the answer.
  if (close) res.setHeader("Connection", "close");
  res.end(page(message));
}

/** The request's own host, as Remix compares it: `X-Forwarded-Host` (first) or `Host`. */
function ownHost(req: ExpressRequest): string | null {
  const forwarded = req.headers["x-forwarded-host"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first || req.headers.host || null;
}

// The host of each Origin seen lately (null: not a URL). Every POST is checked, and the same few
// origins come back: parsing one with `new URL` each time cost ~1.5 % of an answer save's CPU
// (decision 013, "Fifth pass"). At most 256 kept; then the Map starts again.
const originHosts = new Map<string, string | null>();
function originHostOf(origin: string): string | null {
  let host = originHosts.get(origin);
  if (host !== undefined) return host;
  try {
    host = new URL(origin).host;
  } catch {
    host = null;
  }
  if (originHosts.size >= 256) originHosts.clear();
  originHosts.set(origin, host);
  return host;
}

/** Null when the request may come from this site; otherwise why not. */
export function crossSiteReason(origin: string | undefined, host: string | null): string | null {
  if (origin === undefined) return null; // no Origin: the route's guard checks the Referer
  if (origin === "null") return "Origin null";
  const originHost = originHostOf(origin);
  if (originHost === null) return `Origin không đọc được (${origin.slice(0, 80)})`;
  if (!host || originHost !== host) return `Origin ${origin.slice(0, 80)} khác ${host ?? "(không có Host)"}`;
  return null;
}

/**
 * A body the lean path (app/lean-routes.server.ts) has already read from the socket before handing
 * the request on: the front door takes it as read (its Origin check still runs first).
 */
export const readAhead = new WeakMap<IncomingMessage, Buffer>();

export function frontDoor() {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction): void => {
    if (secureCookies()) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (!STATE_CHANGING.has(req.method)) return next();
    const f = accountsText.frontDoor;

    const crossSite = crossSiteReason(req.headers.origin, ownHost(req));
    if (crossSite) return refuse(req, res, 403, f.crossSite, `yêu cầu từ trang khác (${crossSite})`, true);

    const ahead = readAhead.get(req);
    if (ahead && ahead.length <= bodyLimitFor(req.path)) {
      res.locals.body = ahead;
      return next();
    }

    const limit = bodyLimitFor(req.path);
    const lengthHeader = req.headers["content-length"];
    const chunked = /chunked/i.test(req.headers["transfer-encoding"] ?? "");
    const declared = lengthHeader === undefined ? null : Number(lengthHeader);
    if (declared !== null && (!Number.isSafeInteger(declared) || declared < 0)) {
      return refuse(req, res, 400, f.badBody, `Content-Length không hợp lệ (${lengthHeader})`, true);
    }
    if (declared !== null && declared > limit) {
      return refuse(req, res, 413, f.tooLarge(limit / (1024 * 1024)), `thân yêu cầu ${declared} byte, quá ${limit}`, true);
    }
    const hasBody = chunked || (declared ?? 0) > 0;
    if (!hasBody) {
      res.locals.body = Buffer.alloc(0);
      return next();
    }
    const contentType = req.headers["content-type"] ?? "";
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    if (!FORM_TYPES.has(mediaType)) {
      return refuse(req, res, 415, f.unsupportedType, `kiểu dữ liệu ${mediaType || "(không có)"} không phải biểu mẫu`, true);
    }

    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (action: () => void) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      action();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        finish(() => {
          refuse(req, res, 413, f.tooLarge(limit / (1024 * 1024)), `thân yêu cầu vượt ${limit} byte khi đang nhận`, true);
          req.resume(); // drain without keeping what is left; the connection closes after the answer
        });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () =>
      finish(() => {
        const body = Buffer.concat(chunks, received);
        if (mediaType !== "multipart/form-data") {
          res.locals.body = body;
          return next();
        }
        // A multipart body Remix could not parse would be a 500 in the action: check it here.
        new Response(body, { headers: { "Content-Type": contentType } })
          .formData()
          .then(() => {
            res.locals.body = body;
            next();
          })
          .catch(() => refuse(req, res, 400, f.badBody, "biểu mẫu multipart hỏng"));
      });
    const onError = () => finish(() => refuse(req, res, 400, f.badBody, "thân yêu cầu bị ngắt giữa chừng", true));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  };
}
