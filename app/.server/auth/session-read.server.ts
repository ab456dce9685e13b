/**
 * The session read in its plain case, prepared once per connection (decision 022): one indexed
 * read of sessions ⋈ users instead of Lucia's drizzle adapter, which builds and prepares two
 * queries on every request. The plain case is a session that exists, is not expired and is not in
 * the second half of its life (where Lucia extends it: a write and a new cookie), of an active
 * account. Everything else — unknown, expired, to be extended, deactivated — is null here and the
 * caller asks Lucia, which answers (and writes) exactly as before.
 *
 * Used by the guard (`getCurrentUser`, session.server.ts) and by the answer save served before
 * Express (app/lean-routes.server.ts), so the two cannot disagree on what a plain session is.
 */
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import type { User } from "lucia";
import type { Role } from "../../../db/schema";
import { SESSION_LIFETIME } from "./lucia.server";

type SessionUserRow = {
  expiresAt: number;
  id: string;
  fullName: string;
  phone: string;
  role: Role;
  districtId: string;
  branchId: string;
  active: number;
  mustChangePassword: number;
};

const statements = new WeakMap<Database.Database, Statement<[string], SessionUserRow>>();

function sessionUserStatement(client: Database.Database): Statement<[string], SessionUserRow> {
  let statement = statements.get(client);
  if (!statement) {
    statement = client.prepare(
      `select s.expires_at as expiresAt, u.id as id, u.full_name as fullName, u.phone as phone, u.role as role,
              u.district_id as districtId, u.branch_id as branchId, u.active as active,
              u.must_change_password as mustChangePassword
       from sessions s join users u on u.id = s.user_id where s.id = ?`,
    );
    statements.set(client, statement);
  }
  return statement;
}

/** Lucia extends a session (a write, a new cookie) once half of its lifetime has passed. */
const SESSION_HALF_LIFE_MS = SESSION_LIFETIME.milliseconds() / 2;

/**
 * The user of a plain session — the same object Lucia's `validateSession` returns (lucia.server.ts
 * `getUserAttributes` + `id`) — or null when Lucia must decide. `wallNow` is the real time
 * (`wallNow()` of clock.server.ts): Lucia compares expiry with `Date.now()`, and so must this.
 */
export function plainSessionUser(client: Database.Database, sessionId: string, wallNow: number): User | null {
  const row = sessionUserStatement(client).get(sessionId);
  // Lucia's adapter stores expires_at in seconds; at or past the half-life Lucia extends it.
  if (!row || row.active !== 1 || row.expiresAt * 1000 - SESSION_HALF_LIFE_MS <= wallNow) return null;
  return {
    fullName: row.fullName,
    phone: row.phone,
    role: row.role,
    districtId: row.districtId,
    branchId: row.branchId,
    active: true,
    mustChangePassword: row.mustChangePassword === 1,
    id: row.id,
  };
}
