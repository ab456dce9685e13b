import { sql } from "drizzle-orm";
import { getDb } from "../../db/client";
import { probeWrite, recentStorageFailure } from "~/.server/storage-health.server";

const headers = { "Cache-Control": "no-store" };

/**
 * 200 with JSON while the database answers reads AND takes writes; 503 otherwise, for load
 * balancers and uptime checks. Writes are checked twice: a tiny write now (a read-only file fails
 * it), and whether a request's write failed on storage in the last minute (a full disk may still
 * take the tiny write while every real one fails).
 */
export async function loader() {
  try {
    const db = getDb();
    db.get(sql`select 1`);
    const failed = probeWrite(db) ?? recentStorageFailure()?.code;
    if (failed) return Response.json({ status: "error", database: "not-writable", error: failed }, { status: 503, headers });
    return Response.json({ status: "ok", database: "ok", time: new Date().toISOString() }, { headers });
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers });
  }
}
