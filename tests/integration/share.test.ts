/**
 * Issue 11 part B against a real database: the share card made by the import (a valid 1200×630
 * PNG, kept while the contest is unchanged, made again when it changes) and served with an ETag;
 * the embed's framing rule reaching the response headers, and every other page refusing frames;
 * the console's list of partner origins (refusals by line, audit, kept by other saves); and the
 * cumulative participants query.
 */
import { eq } from "drizzle-orm";
import { PNG } from "pngjs";
import { beforeEach, describe, expect, it } from "vitest";
import { startAttempt, submitAttempt } from "~/.server/attempts.server";
import { cumulativeParticipants } from "~/.server/share.server";
import { securityHeaders } from "~/entry.server";
import * as root from "~/root";
import * as image from "~/routes/cuoc-thi.$contestId.anh-chia-se[.]png";
import * as contestPage from "~/routes/cuoc-thi.$contestId._index";
import * as embed from "~/routes/nhung.$contestId";
import * as editor from "~/routes/to-chuc.cuoc-thi.$contestId";
import * as download from "~/routes/to-chuc.cuoc-thi.$contestId.tai";
import { auditLog, contests, users } from "../../db/schema";
import {
  call,
  context,
  contest,
  createUser,
  DAY,
  getRequest,
  MINUTE,
  NOW,
  OPENS_AT,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  useTestDatabase,
} from "./helpers";

const ctx = useTestDatabase();

const stored = () =>
  ctx.db
    .select({ png: contests.shareImage, updatedAt: contests.updatedAt, embedOrigins: contests.embedOrigins })
    .from(contests)
    .where(eq(contests.id, "c1"))
    .get()!;

async function organizerCookie() {
  const id = createUser(ctx.db);
  ctx.db.update(users).set({ role: "organizer" }).where(eq(users.id, id)).run();
  return sessionCookie(ctx.db, id);
}

describe("the share card", () => {
  beforeEach(() => seedContent(ctx.db));

  it("is a 1200×630 PNG drawn at import, with more than a background in it", () => {
    const png = PNG.sync.read(Buffer.from(stored().png!));
    expect([png.width, png.height]).toEqual([1200, 630]);
    // The title is drawn in white over the brand blue: many white pixels in the title's band.
    let white = 0;
    for (let y = 150; y < 400; y++)
      for (let x = 0; x < 1200; x++) if (png.data[(y * 1200 + x) * 4] === 255 && png.data[(y * 1200 + x) * 4 + 2] === 255) white++;
    expect(white).toBeGreaterThan(1000);
  });

  it("stays while the contest is unchanged and is made again when its title changes", async () => {
    const first = stored();
    seedContent(ctx.db);
    expect(Buffer.from(stored().png!).equals(Buffer.from(first.png!))).toBe(true);
    seedContent(ctx.db, [contest({ title: "Một tên khác hẳn cho cuộc thi" })]);
    expect(Buffer.from(stored().png!).equals(Buffer.from(first.png!))).toBe(false);
  });

  it("is made for a contest imported before cards existed, by the next import", () => {
    ctx.db.update(contests).set({ shareImage: null }).run();
    seedContent(ctx.db);
    expect(PNG.sync.read(Buffer.from(stored().png!)).width).toBe(1200);
  });

  it("is served with a year's cache at its versioned URL, an ETag and 304", async () => {
    const v = stored().updatedAt.toString(36);
    const first = await image.loader({ request: getRequest(`/cuoc-thi/c1/anh-chia-se.png?v=${v}`), params: { contestId: "c1" }, context });
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("image/png");
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const etag = first.headers.get("ETag")!;
    const again = await image.loader({
      request: new Request(`http://localhost/cuoc-thi/c1/anh-chia-se.png`, { headers: { "If-None-Match": etag } }),
      params: { contestId: "c1" },
      context,
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("Cache-Control")).toBe("public, max-age=3600");
    const missing = await call(() =>
      image.loader({ request: getRequest("/cuoc-thi/khong-co/anh-chia-se.png"), params: { contestId: "khong-co" }, context }),
    );
    expect(missing.status).toBe(404);
  });

  it("the contest page links it with absolute URLs (PUBLIC_URL when set)", async () => {
    process.env.PUBLIC_URL = "https://thi.example.gov.vn";
    const { resetEnv } = await import("~/.server/env.server");
    resetEnv();
    try {
      const result = await call<Awaited<ReturnType<typeof contestPage.loader>>>(() =>
        contestPage.loader({ request: getRequest("/cuoc-thi/c1"), params: { contestId: "c1" }, context }),
      );
      const share = result.data!.share;
      expect(share.origin).toBe("https://thi.example.gov.vn");
      expect(share.imagePath).toBe(`/cuoc-thi/c1/anh-chia-se.png?v=${stored().updatedAt.toString(36)}`);
      expect(share.description).toMatch(/\d{2}\/10\/2024/);
    } finally {
      delete process.env.PUBLIC_URL;
      resetEnv();
    }
  });
});

describe("framing", () => {
  const headersOf = async (origins: string[]) => {
    ctx.db.update(contests).set({ embedOrigins: origins }).where(eq(contests.id, "c1")).run();
    const result = await call(() => embed.loader({ request: getRequest("/nhung/c1"), params: { contestId: "c1" }, context }));
    expect(result.status).toBe(200);
    const routeHeaders = embed.headers({ loaderHeaders: result.headers } as Parameters<typeof embed.headers>[0]) as Headers;
    const production = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      securityHeaders(routeHeaders, "nonce");
    } finally {
      process.env.NODE_ENV = production;
    }
    return routeHeaders;
  };

  beforeEach(() => seedContent(ctx.db));

  it("the embed may be framed by this site and the contest's partners, and is cached briefly", async () => {
    const headers = await headersOf(["https://congdoan.lamdong.gov.vn", "https://tin.example.vn"]);
    expect(headers.get("Content-Security-Policy")).toContain(
      "frame-ancestors 'self' https://congdoan.lamdong.gov.vn https://tin.example.vn",
    );
    expect(headers.get("Content-Security-Policy")).not.toContain("frame-ancestors 'none'");
    expect(headers.get("X-Frame-Options")).toBeNull();
    expect(headers.get("X-Cuocthi-Frame-Ancestors")).toBeNull();
    expect(headers.get("Cache-Control")).toMatch(/^public, max-age=30\b/);
  });

  it("an embed with no partner is framed by this site only", async () => {
    const headers = await headersOf([]);
    expect(headers.get("Content-Security-Policy")).toMatch(/frame-ancestors 'self'(;|$)/);
  });

  it("every other page refuses every frame", () => {
    const production = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      const headers = new Headers();
      securityHeaders(headers, "nonce");
      expect(headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
      expect(headers.get("X-Frame-Options")).toBe("DENY");
      // A malformed value (not what the embed route writes) is ignored, not trusted.
      const forged = new Headers({ "X-Cuocthi-Frame-Ancestors": "frame-ancestors *; script-src *" });
      securityHeaders(forged, "nonce");
      expect(forged.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
      expect(forged.get("X-Frame-Options")).toBe("DENY");
    } finally {
      process.env.NODE_ENV = production;
    }
  });

  it("the embed never reads the session nor sets a cookie (a cached copy names nobody)", async () => {
    const cookie = await sessionCookie(ctx.db, createUser(ctx.db));
    const onEmbed = await call<{ user: unknown }>(() => root.loader({ request: getRequest("/nhung/c1", { cookie }), params: {}, context }));
    expect(onEmbed.data!.user).toBeNull();
    expect(onEmbed.headers.get("Set-Cookie")).toBeNull();
    const elsewhere = await call<{ user: unknown }>(() =>
      root.loader({ request: getRequest("/cuoc-thi/c1", { cookie }), params: {}, context }),
    );
    expect(elsewhere.data!.user).not.toBeNull();
  });

  it("an unknown contest's embed is a 404", async () => {
    const result = await call(() => embed.loader({ request: getRequest("/nhung/khong-co"), params: { contestId: "khong-co" }, context }));
    expect(result.status).toBe(404);
  });
});

describe("the console's partner list", () => {
  let cookie: string;
  beforeEach(async () => {
    seedContent(ctx.db);
    cookie = await organizerCookie();
  });
  const post = (fields: [string, string][]) =>
    call<{ errors: Record<string, string>; saved: boolean }>(() =>
      editor.action({ request: postRequest("/to-chuc/cuoc-thi/c1", fields, { cookie }), params: { contestId: "c1" }, context }),
    );

  it("refuses bad lines by their number and writes nothing", async () => {
    const result = await post([
      ["intent", "embed"],
      ["embedOrigins", "https://congdoan.vn\n\nhttps://congdoan.vn/tin-tuc"],
    ]);
    expect(result.status).toBe(400);
    expect(result.data!.errors.embedOrigins).toBe(
      "Dòng 3: `https://congdoan.vn/tin-tuc` có đường dẫn sau tên miền — chỉ ghi tên miền: `https://congdoan.vn`.",
    );
    expect(stored().embedOrigins).toEqual([]);
  });

  it("saves, audits before → after, keeps the list through other edits and in the downloaded file", async () => {
    const result = await post([
      ["intent", "embed"],
      ["embedOrigins", "https://CongDoan.vn/\nhttps://tin.example.vn"],
    ]);
    expect(result.status).toBe(200);
    expect(stored().embedOrigins).toEqual(["https://congdoan.vn", "https://tin.example.vn"]);
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.action, "contest.update")).all().at(-1)!;
    expect(entry.before).toEqual({ embedOrigins: [] });
    expect(entry.after).toEqual({ embedOrigins: ["https://congdoan.vn", "https://tin.example.vn"] });

    const settings = await post([
      ["intent", "settings"],
      ["title", "Cuộc thi thử"],
      ["timezone", "Asia/Ho_Chi_Minh"],
      ["timeLimitMinutes", "20"],
      ["questionsPerAttempt", "7"],
      ["attemptsPerRound", "1"],
      ["prediction", "on"],
      ["rulesMarkdown", ""],
      ["prizes", ""],
    ]);
    expect(settings.status).toBe(200);
    expect(stored().embedOrigins).toEqual(["https://congdoan.vn", "https://tin.example.vn"]);

    const file = await download.loader({
      request: getRequest("/to-chuc/cuoc-thi/c1/tai", { cookie }),
      params: { contestId: "c1" },
      context,
    });
    expect(await file.text()).toContain("embedOrigins:\n  - https://congdoan.vn\n  - https://tin.example.vn\n");
  });

  it("the editor shows the snippet with the public origin and the embed's path", async () => {
    const page = await call<{ embed: { path: string; snippet: string } }>(() =>
      editor.loader({ request: getRequest("/to-chuc/cuoc-thi/c1", { cookie }), params: { contestId: "c1" }, context }),
    );
    expect(page.data!.embed.path).toBe("/nhung/c1");
    expect(page.data!.embed.snippet).toContain(`<iframe src="http://localhost/nhung/c1"`);
  });
});

describe("participants over time", () => {
  beforeEach(() => seedContent(ctx.db));

  it("counts each member once, at their first finalized attempt, cumulatively, in one query", () => {
    const roundId = roundIdOf(ctx.db, "c1", 1);
    const take = (userId: string, at: number) => {
      const { attemptId } = startAttempt(ctx.db, { roundId, userId, now: at });
      submitAttempt(ctx.db, { attemptId, userId, now: at + MINUTE, prediction: 1, confirmUnanswered: true });
    };
    const [a, b, c] = [createUser(ctx.db), createUser(ctx.db), createUser(ctx.db)];
    take(a, OPENS_AT + 10 * MINUTE); // first hour
    take(b, OPENS_AT + 3 * 60 * MINUTE); // fourth hour
    startAttempt(ctx.db, { roundId, userId: c, now: OPENS_AT + 5 * 60 * MINUTE }); // still answering: not counted
    const { size, points } = cumulativeParticipants(
      ctx.db,
      { id: roundId, opensAt: OPENS_AT, closesAt: OPENS_AT + 7 * DAY },
      OPENS_AT + 6 * 60 * MINUTE,
    );
    expect(size).toBe(60 * MINUTE);
    expect(points.map((p) => p.total)).toEqual([0, 1, 1, 1, 2, 2, 2]);
    expect(points.at(-1)!.at).toBe(OPENS_AT + 6 * 60 * MINUTE);
    void NOW;
  });
});
