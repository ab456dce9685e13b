/**
 * Who is asking. Every loader and action starts with one of these guards: it reads the session,
 * refuses cross-site mutations (CSRF), and throws a redirect or a 403 when the person may not be
 * there.
 */
import { redirect } from "@remix-run/node";
import type { User } from "lucia";
import { getDb } from "../../../db/client";
import type { Role } from "../../../db/schema";
import { t } from "~/i18n/vi";
import { safeRedirect } from "~/domain/redirect";
import { wallNow } from "../clock.server";
import { luciaFor } from "./lucia.server";
import { plainSessionUser } from "./session-read.server";

export type CurrentUser = User;

type Current = { user: User; sessionId: string; fresh: boolean };
const cache = new WeakMap<Request, Promise<Current | null>>();

/** The logged-in, active user, or null. Computed once per request. */
export function getCurrentUser(request: Request): Promise<Current | null> {
  let pending = cache.get(request);
  if (!pending) {
    pending = (async () => {
      const db = getDb();
      const sessionId = readSessionId(request);
      if (!sessionId) return null;
      // The plain case (valid, not to be extended, active account): one prepared read. Anything
      // else goes through Lucia, which deletes, extends or refuses as it always has.
      const plain = plainSessionUser(db.$client, sessionId, wallNow());
      if (plain) return { user: plain, sessionId, fresh: false };
      const { user, session } = await luciaFor(db).validateSession(sessionId);
      if (!user || !session || !user.active) return null;
      return { user, sessionId: session.id, fresh: session.fresh };
    })();
    cache.set(request, pending);
  }
  return pending;
}

/**
 * The session id in the request's cookie, or null. A cookie header that cannot be decoded (a
 * stray `%`, a broken browser extension) is no session, never an error: otherwise every page,
 * login included, would fail until the person cleared their cookies.
 */
function readSessionId(request: Request): string | null {
  try {
    return luciaFor(getDb()).readSessionCookie(request.headers.get("Cookie") ?? "");
  } catch {
    return null; // logged once, by clearUnreadableSessionCookie in the root loader
  }
}

/**
 * A blank session cookie when the request carried one that could not be read, so the browser drops
 * it; the root loader sends it.
 */
export function clearUnreadableSessionCookie(request: Request): string | null {
  const header = request.headers.get("Cookie") ?? "";
  if (!header.includes(`${luciaFor(getDb()).sessionCookieName}=`)) return null;
  try {
    luciaFor(getDb()).readSessionCookie(header);
    return null;
  } catch {
    console.warn(`[cuocthi] cookie phiên không đọc được, coi như chưa đăng nhập và xóa cookie: ${new URL(request.url).pathname}`);
    return luciaFor(getDb()).createBlankSessionCookie().serialize();
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request that did not come from one of our own pages: browsers send
 * `Origin` with every POST, and a forged form on another site carries that site's origin.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const origin = request.headers.get("Origin") ?? request.headers.get("Referer");
  const host = request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host") ?? new URL(request.url).host;
  let originHost: string | null = null;
  try {
    originHost = origin && origin !== "null" ? new URL(origin).host : null;
  } catch {
    originHost = null;
  }
  if (!originHost || originHost !== host) {
    throw new Response(t.errors.crossSite, { status: 403 });
  }
}

function loginRedirect(request: Request): never {
  const url = new URL(request.url);
  const target = safeRedirect(`${url.pathname}${url.search}`);
  throw redirect(`/dang-nhap?redirectTo=${encodeURIComponent(target)}`);
}

export async function requireUser(request: Request): Promise<User> {
  assertSameOrigin(request);
  const current = await getCurrentUser(request);
  if (!current) loginRedirect(request);
  // A temporary password set by an organizer must be replaced before anything else.
  const path = new URL(request.url).pathname;
  if (current.user.mustChangePassword && path !== "/doi-mat-khau" && path !== "/dang-xuat") {
    throw redirect(`/doi-mat-khau?redirectTo=${encodeURIComponent(safeRedirect(path))}`);
  }
  return current.user;
}

/** Any logged-in person may take part; organizers, judges and admins too. */
export const requireMember = requireUser;

/** Admins may do everything; otherwise the role must be one of those listed. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<User> {
  const user = await requireUser(request);
  if (user.role !== "admin" && !roles.includes(user.role)) {
    throw new Response(t.errors.forbidden, { status: 403 });
  }
  return user;
}

/** Pages for people not logged in (login, registration): a logged-in person goes on. */
export async function requireAnonymous(request: Request): Promise<void> {
  assertSameOrigin(request);
  const current = await getCurrentUser(request);
  if (current) {
    const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
    throw redirect(redirectTo);
  }
}

/** Starts a new session (a fresh id at every login) and returns its Set-Cookie header. */
export async function createSessionCookie(userId: string): Promise<string> {
  const lucia = luciaFor(getDb());
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

export async function destroySession(request: Request): Promise<string> {
  const lucia = luciaFor(getDb());
  const current = await getCurrentUser(request);
  if (current) await lucia.invalidateSession(current.sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

/**
 * When Lucia has just extended a session (past half its life), the cookie must be sent again with
 * the new expiry, or the browser drops it on the original date. The root loader calls this.
 */
export function refreshedSessionCookie(current: Current | null): string | null {
  if (!current?.fresh) return null;
  return luciaFor(getDb()).createSessionCookie(current.sessionId).serialize();
}
