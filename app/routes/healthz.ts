import { sql } from "drizzle-orm";
import { getDb } from "../../db/client";

/** 200 with JSON once the database answers; 503 otherwise. For load balancers and uptime checks. */
export async function loader() {
  try {
    getDb().get(sql`select 1`);
    return Response.json({ status: "ok", database: "ok", time: new Date().toISOString() }, {
      headers: { "Cache-Control": "no-store" },
    });
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
