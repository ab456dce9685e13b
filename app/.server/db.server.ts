/**
 * The database handle for the layers above app/.server (routes, the server entry). They pass it
 * to named queries and never read tables themselves: the linter keeps db/ and drizzle out of
 * routes (docs/decisions/021-layers-and-walls.md), so this is the only door to the client.
 */
export { DatabaseOpenError, getDb, type Db } from "../../db/client";
