import { getDb } from "~/.server/db.server";
import { databaseHealth } from "~/.server/storage-health.server";

const headers = { "Cache-Control": "no-store" };

export type HealthReply = { status: 200 | 503; body: Record<string, string> };

/**
 * 200 with JSON while the database answers reads AND takes writes; 503 otherwise, for load
 * balancers and uptime checks (the checks: databaseHealth). The lean path before Express
 * (app/lean-routes.server.ts) writes this same reply without building a Fetch Response.
 */
export function healthReply(): HealthReply {
  try {
    const health = databaseHealth(getDb());
    if (!health.ok) return { status: 503, body: { status: "error", database: health.database, error: health.error } };
    return { status: 200, body: { status: "ok", database: "ok", time: new Date().toISOString() } };
  } catch {
    return { status: 503, body: { status: "error", database: "unreachable" } };
  }
}

export async function loader() {
  const reply = healthReply();
  return Response.json(reply.body, { status: reply.status, headers });
}
