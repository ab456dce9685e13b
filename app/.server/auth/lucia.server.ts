/** Sessions with Lucia v3 and its drizzle adapter, one Lucia per database (tests use their own). */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import type { Db } from "../../../db/client";
import { sessions, users, type Role } from "../../../db/schema";
import { secureCookies } from "../env.server";

/** How long a session lasts; Lucia extends it (a write, a new cookie) once half of it has passed. */
export const SESSION_LIFETIME = new TimeSpan(30, "d");

function createLucia(db: Db) {
  return new Lucia(new DrizzleSQLiteAdapter(db, sessions, users), {
    sessionExpiresIn: SESSION_LIFETIME,
    sessionCookie: {
      name: "cuocthi_session",
      // Lucia's cookie is HttpOnly and SameSite=Lax; Secure whenever served over HTTPS.
      attributes: { secure: secureCookies(), sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({
      fullName: attributes.fullName,
      phone: attributes.phone,
      role: attributes.role,
      districtId: attributes.districtId,
      branchId: attributes.branchId,
      active: attributes.active,
      mustChangePassword: attributes.mustChangePassword,
    }),
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    DatabaseUserAttributes: {
      fullName: string;
      phone: string;
      role: Role;
      districtId: string;
      branchId: string;
      active: boolean | number;
      mustChangePassword: boolean | number;
    };
  }
}

const perDb = new WeakMap<Db, AppLucia>();

export function luciaFor(db: Db): AppLucia {
  let lucia = perDb.get(db);
  if (!lucia) {
    lucia = createLucia(db);
    perDb.set(db, lucia);
  }
  return lucia;
}
