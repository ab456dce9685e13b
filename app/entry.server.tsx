/**
 * Server rendering, with a Content-Security-Policy whose nonce is new for every response (inline
 * script hashes for a public page rendered once, see renderPublicPage), and the
 * start-up hook the production server calls before the first request.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { secureCookies } from "~/.server/env.server";
import { startBackgroundJobs, stopBackgroundJobs } from "~/.server/jobs.server";
import { countSqliteError } from "~/.server/metrics.server";
import { noteStorageFailure, retryAfterHeaders } from "~/.server/storage-health.server";
import { withoutTrailingNul, withoutTrailingNulBytes } from "~/.server/render/strip-nul.server";
import { documentResponse } from "~/.server/render/document.server";
import { NonceContext } from "~/components/nonce";
import { FRAME_ANCESTORS_HEADER } from "~/domain/embed";
import { DatabaseOpenError } from "~/.server/db.server";

const ABORT_DELAY = 5_000;

/**
 * Called once by app/.server/serve.mjs: migrate the database and start the deadline sweep. A
 * database that cannot be opened is one line (path and cause) and exit code 1, not a stack trace:
 * a supervisor's log then says what to fix.
 */
export function onServerStart(): void {
  try {
    startBackgroundJobs();
  } catch (error) {
    if (!(error instanceof DatabaseOpenError)) throw error;
    console.error(`[cuocthi] ${error.message}`);
    process.exit(1);
  }
}

/**
 * Called by app/.server/serve.mjs when the process stops after its requests are answered: no new
 * sweep starts, and the database is closed (a checkpoint; the WAL and shared-memory files go).
 */
export function onServerStop(): void {
  stopBackgroundJobs();
  const db = globalThis.__cuocthiDb;
  globalThis.__cuocthiDb = undefined;
  try {
    db?.$client.close();
  } catch (error) {
    console.error(error);
  }
}

/** Requests whose work the storage refused (disk full, read-only, I/O error): answered 503. */
const storageFailed = new WeakSet<Request>();

/**
 * Remix calls this for every error a loader or action throws. A storage failure is remembered for
 * /healthz and for the response (503 + Retry-After instead of 500), and logged as one line.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs): void {
  if (request.signal.aborted) return;
  if (noteStorageFailure(error)) {
    storageFailed.add(request);
    return;
  }
  countSqliteError(error);
  console.error(isRouteErrorResponse(error) && (error as { error?: unknown }).error ? (error as { error?: unknown }).error : error);
}

function unavailable(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [key, value] of Object.entries(retryAfterHeaders)) headers.set(key, value);
  return new Response(response.body, { status: 503, headers });
}

/** `scriptSources`: instead of the nonce, for a page whose bytes are shared (inline script hashes). */
export function securityHeaders(headers: Headers, nonce: string, scriptSources: string[] = [`'nonce-${nonce}'`]): void {
  const embedAncestors = headers.get(FRAME_ANCESTORS_HEADER);
  headers.delete(FRAME_ANCESTORS_HEADER);
  const frameAncestors = embedAncestors && /^frame-ancestors 'self'( https?:\/\/[^\s;,']+)*$/.test(embedAncestors) ? embedAncestors : null;
  if (process.env.NODE_ENV === "production") {
    headers.set(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' ${scriptSources.join(" ")}`,
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        frameAncestors ?? "frame-ancestors 'none'",
      ].join("; "),
    );
  } else if (frameAncestors) {
    // Development has no CSP (Vite's scripts); the embed's framing rule still applies.
    headers.set("Content-Security-Policy", frameAncestors);
  }
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  // X-Frame-Options cannot name origins: a page framed by its partners relies on frame-ancestors.
  if (!frameAncestors) headers.set("X-Frame-Options", "DENY");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  strictTransportSecurity(headers);
}

/**
 * With secure cookies the site is served over HTTPS: tell browsers to never use plain http for
 * it again (a downgraded first request would otherwise expose the session cookie's existence and
 * the login form to a network attacker).
 */
export function strictTransportSecurity(headers: Headers): void {
  if (secureCookies()) headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

export function handleDataRequest(response: Response, { request }: LoaderFunctionArgs | ActionFunctionArgs): Response {
  if (storageFailed.has(request)) response = unavailable(response);
  response.headers.delete(FRAME_ANCESTORS_HEADER);
  response.headers.set("X-Content-Type-Options", "nosniff");
  strictTransportSecurity(response.headers);
  return response;
}

// For app/.server/serve.mjs: the checks before Remix (body size, cross-site posts, broken bodies)
// and which proxies to trust.
import { inlineScriptHashes, keepRenderedPage, matchesETag, renderedPage } from "~/.server/http-cache.server";
import { boardPageKey, keepBoardPage, type BoardPageStamp } from "~/.server/board-cache.server";
export { frontDoor } from "~/.server/front-door.server";
export { leanFirst, leanRoutes } from "~/lean-routes.server";
export { serveHotWrites } from "~/.server/hot-writes.server";
export { trustProxySetting } from "~/.server/env.server";
export { writeBody } from "~/.server/render/document.server";
// For app/.server/serve.mjs and cluster.mjs: the log, the request line and metrics, /metrics across workers.
export { flushLogs, logger, routeConsoleToLogger } from "~/.server/log.server";
export { observeRequests, unexpectedError } from "~/.server/observe.server";
export { ops as opsText } from "~/i18n/ops.vi";
export { countSqliteError, metricsAllowProblem, serveClusterMetrics } from "~/.server/metrics.server";
// The heavy-work thread loads the server build and runs its jobs through this (app/.server/heavy).
export { runHeavyJob } from "~/.server/heavy/jobs.server";
// For app/.server/serve.mjs: Remix's request handler from the build, whose route matching is
// computed once per route tree (decision 022), rather than @remix-run/node's unpatched copy.
export { createRequestHandler } from "@remix-run/node";

/**
 * A page the same for every visitor, rendered whole once per URL and version and then served as
 * those bytes (app/.server/http-cache.server.ts): its inline scripts are allowed by hash, since a
 * nonce would be shared. A render that errs is answered as it is and not kept.
 */
function renderPublicPage(
  request: Request,
  responseHeaders: Headers,
  remixContext: EntryContext,
  boardPage: BoardPageStamp | undefined,
): Promise<Response> {
  const url = new URL(request.url);
  const key = `${url.pathname}${url.search}|${responseHeaders.get("ETag")}`;
  // A frozen leaderboard is also kept for the path before the framework (leanFirst).
  const keepForLean = (body: Uint8Array, headers: Iterable<[string, string]>) => {
    if (boardPage) keepBoardPage(boardPageKey(request), boardPage, body, headers);
  };
  const hit = renderedPage(key);
  if (hit) {
    keepForLean(hit.body, hit.headers);
    return Promise.resolve(documentResponse(Buffer.from(hit.body.buffer, hit.body.byteOffset, hit.body.byteLength), 200, hit.headers));
  }
  const nonce = randomBytes(16).toString("base64");
  return new Promise((resolve, reject) => {
    let failed = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          const body = withoutTrailingNulBytes();
          const chunks: Buffer[] = [];
          body.on("data", (chunk: Buffer) => chunks.push(chunk));
          body.on("error", reject);
          body.on("end", () => {
            const bytes = Buffer.concat(chunks);
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            securityHeaders(responseHeaders, nonce, failed ? undefined : inlineScriptHashes(bytes.toString("utf8")));
            if (!failed) {
              keepRenderedPage(key, bytes, responseHeaders);
              keepForLean(bytes, responseHeaders.entries());
            }
            resolve(documentResponse(bytes, failed ? 500 : 200, responseHeaders));
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          failed = true;
          console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (storageFailed.has(request)) {
    responseStatusCode = 503;
    for (const [key, value] of Object.entries(retryAfterHeaders)) responseHeaders.set(key, value);
  }
  // A page the same for every visitor (app/.server/http-cache.server.ts): ETag and Cache-Control,
  // and 304 without rendering when the client or a proxy already holds this version.
  if (loadContext?.publicPage && responseStatusCode === 200 && !responseHeaders.has("Set-Cookie")) {
    for (const [key, value] of Object.entries(loadContext.publicPage)) responseHeaders.set(key, value);
    if (matchesETag(request.headers.get("If-None-Match"), responseHeaders.get("ETag"))) {
      return new Response(null, { status: 304, headers: responseHeaders });
    }
    return renderPublicPage(request, responseHeaders, remixContext, loadContext.boardPage);
  }
  const nonce = randomBytes(16).toString("base64");
  // A page whose data is all there renders whole and goes out as one buffer (decision 022, "Bytes"):
  // streamed, each 2 KB chunk of React's output crossed a web stream and was compressed and flushed
  // on its own. Only a page with data still coming (a deferred loader value) streams, its shell
  // first — unless a bot asks, which gets the whole page as before.
  const streamed = hasPendingData(remixContext) && !isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
          if (!streamed) return;
          const body = withoutTrailingNulBytes();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          securityHeaders(responseHeaders, nonce);
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onAllReady() {
          clearTimeout(timer);
          if (streamed) return;
          pipe(
            wholeDocument((bytes) => {
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              securityHeaders(responseHeaders, nonce);
              resolve(documentResponse(bytes, responseStatusCode, responseHeaders));
            }, reject),
          );
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Data a loader returned that is still coming (`defer`, or a promise in single fetch's loader
 * data): the page's shell can go out before it. Everything else renders whole in one go anyway.
 */
function hasPendingData(remixContext: EntryContext): boolean {
  const { activeDeferreds, loaderData } = remixContext.staticHandlerContext;
  if (activeDeferreds && Object.keys(activeDeferreds).length > 0) return true;
  for (const data of Object.values(loaderData ?? {})) {
    if (data === null || typeof data !== "object") continue;
    for (const value of Object.values(data as Record<string, unknown>)) {
      if (
        value instanceof Promise ||
        (value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function")
      )
        return true;
    }
  }
  return false;
}

/**
 * Where React writes a page that is complete: its chunks (without React 18's trailing NUL bytes,
 * see strip-nul.server.ts) joined into one buffer once React ends the page.
 */
function wholeDocument(done: (bytes: Buffer) => void, fail: (error: unknown) => void): Writable {
  const chunks: Buffer[] = [];
  return new Writable({
    // No 'close' event: React's pipe listens for it to abort, and calling `end` on a finished
    // writable builds an ERR_STREAM_ALREADY_FINISHED error (a stack trace) on every page for nothing.
    emitClose: false,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(withoutTrailingNul(chunk));
      callback();
    },
    final(callback) {
      done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      callback();
    },
    destroy(error, callback) {
      if (error) fail(error);
      callback(error);
    },
  });
}
