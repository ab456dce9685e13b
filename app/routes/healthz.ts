import { getDb } from "~/.server/db.server";
import { databaseHealth } from "~/.server/storage-health.server";

const headers = { "Cache-Control": "no-store" };

/**
 * 200 with JSON while the database answers reads AND takes writes; 503 otherwise, for load
 * balancers and uptime checks (the checks: databaseHealth).
 */
export async function loader() {
  try {
    const health = databaseHealth(getDb());
    if (!health.ok) return Response.json({ status: "error", database: health.database, error: health.error }, { status: 503, headers });
    return Response.json({ status: "ok", database: "ok", time: new Date().toISOString() }, { headers });
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers });
  }
}
