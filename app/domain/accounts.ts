/**
 * Who may act on whose account (the organizers' "Tìm thành viên" page). One rule, called by the
 * server before every act and by the page to decide which buttons to show.
 *
 * - Organizers reset passwords, deactivate, reactivate and correct the name of members only.
 * - Anything on an organizer, judge or admin account needs an admin; only an admin changes roles.
 * - Nobody resets, locks or renames their own account here (their own password is changed on
 *   /doi-mat-khau); an admin may step down from admin, unless they are the last one.
 * - The last active admin can be neither demoted nor deactivated.
 */
/** Who someone is on the platform; the database stores it as text (db/schema.ts `users.role`). */
export type Role = "member" | "organizer" | "judge" | "admin";

export type AccountAct = "reset-password" | "deactivate" | "activate" | "rename" | "set-role";

export type AccountRefusal = "self" | "privileged_needs_admin" | "role_needs_admin" | "last_admin" | "not_staff";

export interface AccountActor {
  id: string;
  role: Role;
}

export interface AccountTarget {
  id: string;
  role: Role;
  active: boolean;
}

/** True for accounts that hold keys beyond taking part: organizers, judges, admins. */
export function isPrivileged(role: Role): boolean {
  return role !== "member";
}

/**
 * Why `actor` may not do `act` to `target`, or null when allowed. `activeAdmins` is the number of
 * active admin accounts (counted in the same transaction as the act), `newRole` the role asked for.
 */
export function accountActRefusal({
  actor,
  target,
  act,
  newRole,
  activeAdmins,
}: {
  actor: AccountActor;
  target: AccountTarget;
  act: AccountAct;
  newRole?: Role;
  activeAdmins: number;
}): AccountRefusal | null {
  if (actor.role !== "organizer" && actor.role !== "admin") return "not_staff";
  const self = actor.id === target.id;
  if (self && !(act === "set-role" && actor.role === "admin")) return "self";
  if (act === "set-role" && actor.role !== "admin") return "role_needs_admin";
  if (isPrivileged(target.role) && actor.role !== "admin") return "privileged_needs_admin";
  const removesAdmin = target.role === "admin" && target.active && (act === "deactivate" || (act === "set-role" && newRole !== "admin"));
  if (removesAdmin && activeAdmins <= 1) return "last_admin";
  return null;
}

/**
 * The acts the page offers on a target's row; the server checks again in its transaction. A role
 * change is offered when some change is allowed (the server refuses demoting the last admin).
 */
export function allowedAccountActs(actor: AccountActor, target: AccountTarget, activeAdmins: number): AccountAct[] {
  const acts: AccountAct[] = ["reset-password", target.active ? "deactivate" : "activate", "rename", "set-role"];
  return acts.filter((act) => accountActRefusal({ actor, target, act, activeAdmins, newRole: target.role }) === null);
}
