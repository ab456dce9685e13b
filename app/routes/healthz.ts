import { getDb } from "~/.server/db.server";
import { healthReply } from "~/.server/storage-health.server";

const headers = { "Cache-Control": "no-store" };

/**
 * 200 with JSON while the database answers reads AND takes writes; 503 otherwise, for load
 * balancers and uptime checks (the checks: databaseHealth). The lean path before Express
 * (app/lean-routes.server.ts) writes the same `healthReply` without building a Fetch Response.
 */
export async function loader() {
  const reply = healthReply(getDb);
  return Response.json(reply.body, { status: reply.status, headers });
}
