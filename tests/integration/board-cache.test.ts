/**
 * Frozen leaderboards answered before the framework (app/.server/board-cache.server.ts, decision
 * 013 "Leaderboard before the framework"), over HTTP as serve.mjs wires it: `leanFirst` in front of
 * Express (compression) and a real Remix request handler (server-runtime, this repository's
 * entry.server and the leaderboard route module under a minimal root). `app` counts the requests
 * that reached Express, so each test also says which path answered.
 */
import { createServer, request, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createElement } from "react";
import { createRequestHandler } from "@remix-run/node";
import { Meta, Outlet, Scripts } from "@remix-run/react";
import Database from "better-sqlite3";
import compression from "compression";
import { and, eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { boardPagesCompressed, forgetBoardPages } from "~/.server/board-cache.server";
import { openDatabase } from "../../db/client";
import { disqualify, freezeClosedRounds } from "~/.server/results.server";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { leanFirst } from "~/lean-routes.server";
import * as boardRoute from "~/routes/cuoc-thi.$contestId.xep-hang";
import { roundResults, users } from "../../db/schema";
import { createUser, roundIdOf, seedContent, sessionCookie, useTestDatabase } from "./helpers";
import { FREEZE_1, ROUND2_CLOSES_AT, resultsContest, setRole } from "./results-helpers";
import { testServerBuild } from "../helpers/remix-build";

const ctx = useTestDatabase();
const HOUR = 3_600_000;
const BOARD = "/cuoc-thi/c1/xep-hang?vong=1";
let base = "";
let close: () => Promise<void>;
let reachedExpress = 0;
let roundId: number;

const root = {
  default: () =>
    createElement(
      "html",
      { lang: "vi" },
      createElement("head", null, createElement(Meta)),
      createElement("body", null, createElement(Outlet), createElement(Scripts)),
    ),
};
const build = testServerBuild([
  { id: "root", path: "", module: root, hasErrorBoundary: true },
  { id: "board", parentId: "root", path: "cuoc-thi/:contestId/xep-hang", module: boardRoute, hasErrorBoundary: true },
]);

beforeAll(async () => {
  const handle = createRequestHandler(build, "production");
  const app = express();
  app.disable("x-powered-by");
  app.use(compression({ threshold: 1024 }));
  app.all("*", async (req, res, next) => {
    try {
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
      const response = await handle(new Request(`http://${req.headers.host}${req.originalUrl}`, { headers }), { clientIp: "10.0.0.1" });
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
    } catch (error) {
      next(error);
    }
  });
  const counted: RequestListener = (req, res) => {
    reachedExpress++;
    app(req, res);
  };
  const server = createServer(leanFirst(counted)).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

beforeEach(() => {
  forgetBoardPages();
  seedContent(ctx.db, [resultsContest()]);
  roundId = roundIdOf(ctx.db, "c1", 1);
  generateSyntheticAttempts(ctx.db, { roundId, members: 120 });
  // Round 1's results stored, as the sweep does after its close; round 2 is open (live).
  freezeClosedRounds(ctx.db, FREEZE_1);
  ctx.now = FREEZE_1 + HOUR;
  reachedExpress = 0;
});

async function get(path: string, headers: Record<string, string> = {}) {
  // fetch() would decompress: ask for the exact bytes with node's http instead.
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { "Accept-Encoding": "identity", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The headers a cached page must repeat exactly (not the per-response ones: date, length, request id). */
function pageHeaders(headers: Record<string, string | string[] | undefined>) {
  const kept = { ...headers };
  for (const name of ["date", "content-length", "transfer-encoding", "connection", "keep-alive", "x-request-id", "content-encoding"])
    delete kept[name];
  return kept;
}

function userAt(position: number): string {
  return ctx.db
    .select({ userId: roundResults.userId })
    .from(roundResults)
    .where(and(eq(roundResults.roundId, roundId), eq(roundResults.position, position)))
    .get()!.userId;
}

describe("a frozen leaderboard, before the framework", () => {
  it("answers the second anonymous visitor with the bytes and headers Remix rendered, without Express", async () => {
    const first = await get(BOARD);
    expect(first.status).toBe(200);
    expect(reachedExpress).toBe(1);
    expect(first.body.toString("utf8")).toContain("Bảng xếp hạng");
    expect(first.headers.etag).toMatch(/^W\/"/);
    const second = await get(BOARD);
    expect(reachedExpress).toBe(1);
    expect(second.status).toBe(200);
    expect(second.body.equals(first.body)).toBe(true);
    expect(pageHeaders(second.headers)).toEqual(pageHeaders(first.headers));
    expect(second.headers["content-length"]).toBe(String(first.body.length));
    expect(second.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    expect(second.headers.vary).toBe("Cookie, Accept-Encoding");
    // Another URL is another page: rendered by Remix once, then kept too.
    await get(`${BOARD}&trang=2`);
    expect(reachedExpress).toBe(2);
    expect((await get(`${BOARD}&trang=2`)).body.equals(first.body)).toBe(false);
    expect(reachedExpress).toBe(2);
  });

  it("sends the compressed copy the client accepts (brotli, else gzip), each the same page", async () => {
    const plain = await get(BOARD);
    // Right away (brotli may still be under way): gzip is ready, so no visitor goes back to Remix.
    const early = await get(BOARD, { "Accept-Encoding": "gzip, deflate, br" });
    expect(reachedExpress).toBe(1);
    const earlyBytes = early.headers["content-encoding"] === "br" ? brotliDecompressSync(early.body) : gunzipSync(early.body);
    expect(earlyBytes.equals(plain.body)).toBe(true);
    await boardPagesCompressed();
    const br = await get(BOARD, { "Accept-Encoding": "gzip, deflate, br" });
    const gz = await get(BOARD, { "Accept-Encoding": "gzip;q=1, br;q=0" });
    expect(reachedExpress).toBe(1);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(pageHeaders(br.headers)).toEqual(pageHeaders(plain.headers));
    // Only deflate: the full path answers it (Express compresses).
    const deflate = await get(BOARD, { "Accept-Encoding": "deflate" });
    expect(reachedExpress).toBe(2);
    expect(deflate.headers["content-encoding"]).toBe("deflate");
  });

  it("answers 304 to a client that holds the version, and HEAD with the headers only", async () => {
    const first = await get(BOARD);
    const revalidated = await get(BOARD, { "If-None-Match": String(first.headers.etag) });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toHaveLength(0);
    expect(revalidated.headers.etag).toBe(first.headers.etag);
    expect(revalidated.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    expect(reachedExpress).toBe(1);
    const other = await get(BOARD, { "If-None-Match": 'W/"something-else"' });
    expect(other.status).toBe(200);
    expect(reachedExpress).toBe(1);
  });

  it("a disqualification committed by another connection (another worker) is seen by the very next request", async () => {
    const top = ctx.db
      .select({ fullName: users.fullName, phone: users.phone })
      .from(users)
      .where(eq(users.id, userAt(1)))
      .get()!;
    const first = await get(BOARD);
    expect(first.body.toString("utf8")).toContain(top.fullName);
    expect((await get(BOARD)).body.equals(first.body)).toBe(true);
    expect(reachedExpress).toBe(1);

    // Another process's connection to the same file: this process's memory knows nothing of it.
    const otherDb = openDatabase(ctx.path);
    try {
      const judge = createUser(otherDb);
      setRole(otherDb, judge, "judge");
      disqualify(otherDb, { roundId, userId: userAt(1), reason: "Dùng hai tài khoản", byUserId: judge, now: ctx.now });
    } finally {
      otherDb.$client.close();
    }
    const after = await get(BOARD);
    expect(reachedExpress).toBe(2);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect(after.body.toString("utf8")).not.toContain(top.phone);
    // The old ETag no longer gets a 304.
    expect((await get(BOARD, { "If-None-Match": String(first.headers.etag) })).status).toBe(200);
    // And the new page is kept in turn.
    expect((await get(BOARD)).body.equals(after.body)).toBe(true);
    expect(reachedExpress).toBe(2);
  });

  it("a change that only touches SQLite (a round's stored results again) also makes the page stale", async () => {
    await get(BOARD);
    await get(BOARD);
    expect(reachedExpress).toBe(1);
    const raw = new Database(ctx.path);
    try {
      raw.prepare("update rounds set results_computed_at = results_computed_at + 1 where id = ?").run(roundId);
    } finally {
      raw.close();
    }
    await get(BOARD);
    expect(reachedExpress).toBe(2);
  });

  it("stops at the next change of a round's status (the default round may differ then)", async () => {
    await get("/cuoc-thi/c1/xep-hang?vong=1");
    await get("/cuoc-thi/c1/xep-hang?vong=1");
    expect(reachedExpress).toBe(1);
    ctx.now = ROUND2_CLOSES_AT; // round 2 closes: a status change of the contest
    await get("/cuoc-thi/c1/xep-hang?vong=1");
    expect(reachedExpress).toBe(2);
  });

  it("a member (any Cookie header) always goes the full way and sees their own row marked", async () => {
    await get(BOARD);
    await get(BOARD);
    expect(reachedExpress).toBe(1);
    const member = userAt(3);
    const cookie = await sessionCookie(ctx.db, member);
    const mine = await get(BOARD, { Cookie: cookie });
    expect(reachedExpress).toBe(2);
    expect(mine.status).toBe(200);
    expect(mine.headers.etag).toBeUndefined();
    expect(mine.body.toString("utf8")).toMatch(/id="toi"[^>]*aria-current="true"/);
    // Any other cookie too: the page is not shared with it.
    await get(BOARD, { Cookie: "theme=dark" });
    expect(reachedExpress).toBe(3);
  });

  it("a live board (an open round) is never kept", async () => {
    await get("/cuoc-thi/c1/xep-hang?vong=2");
    await get("/cuoc-thi/c1/xep-hang?vong=2");
    expect(reachedExpress).toBe(2);
  });
});
