/**
 * Server rendering, with a Content-Security-Policy whose nonce is new for every response, and the
 * start-up hook the production server calls before the first request.
 */
import { randomBytes } from "node:crypto";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { secureCookies } from "~/.server/env.server";
import { startBackgroundJobs } from "~/.server/jobs.server";
import { withoutTrailingNulBytes } from "~/.server/render/strip-nul.server";
import { NonceContext } from "~/components/nonce";

const ABORT_DELAY = 5_000;

/** Called once by app/.server/serve.mjs: migrate the database and start the deadline sweep. */
export function onServerStart(): void {
  startBackgroundJobs();
}

export function securityHeaders(headers: Headers, nonce: string): void {
  if (process.env.NODE_ENV === "production") {
    headers.set(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
  }
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
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

export function handleDataRequest(response: Response): Response {
  response.headers.set("X-Content-Type-Options", "nosniff");
  strictTransportSecurity(response.headers);
  return response;
}

// For app/.server/serve.mjs: the checks before Remix (body size, cross-site posts, broken bodies)
// and which proxies to trust.
export { frontDoor } from "~/.server/front-door.server";
export { leanRoutes } from "~/.server/lean-routes.server";
export { trustProxySetting } from "~/.server/env.server";

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const nonce = randomBytes(16).toString("base64");
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = withoutTrailingNulBytes();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          securityHeaders(responseHeaders, nonce);
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
