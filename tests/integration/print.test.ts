/**
 * Issue 11, part A, end to end through the routes: a poster link leads to a prefilled registration
 * that records the poster's branch; the organizers' desk counts what came through each poster; the
 * print page carries the QR code of the link; the judges download the winners' certificates and a
 * member their own, as PDF whose extracted text has the names with their diacritics.
 */
import { eq } from "drizzle-orm";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { branchPosterStats, posterSummaryByDistrict } from "~/.server/posters.server";
import { disqualify, freezeClosedRounds } from "~/.server/results.server";
import { mergeBranch } from "~/.server/units.server";
import { writeCertificatesPdf } from "~/.server/certificates/pdf.server";
import { certificateText } from "~/domain/certificates";
import { loader as shortLink } from "~/routes/dk.$contestId.$branchCode";
import { action as registerAction, loader as registerLoader } from "~/routes/dang-ky";
import { loader as deskLoader } from "~/routes/to-chuc.ap-phich.$contestId._index";
import { loader as printLoader } from "~/routes/to-chuc.ap-phich.$contestId.in";
import { loader as winnersLoader } from "~/routes/giam-khao.$contestId.vong.$roundNumber.chung-nhan";
import { loader as mineLoader } from "~/routes/chung-nhan.$contestId.$roundNumber";
import { action as editorAction, loader as editorLoader } from "~/routes/to-chuc.cuoc-thi.$contestId";
import { loader as contestDownload } from "~/routes/to-chuc.cuoc-thi.$contestId.tai";
import { contests } from "../../db/schema";
import { users } from "../../db/schema";
import type { Db } from "../../db/client";
import {
  call,
  contest,
  context,
  createUser,
  getRequest,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  useTestDatabase,
} from "./helpers";
import { FREEZE_1, inRound1, resultsContest, setRole, takeRound } from "./results-helpers";

const ctx = useTestDatabase();

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context });

async function register(fields: [string, string][], query = "") {
  return call(() => registerAction(args(postRequest(`/dang-ky${query}`, [["intent", "register"], ...fields]))));
}

const PERSON = (phone: string, branchId = "dl-so-tttt"): [string, string][] => [
  ["fullName", "Trần Thị Ánh Nguyệt"],
  ["phone", phone],
  ["districtId", "da-lat"],
  ["branchId", branchId],
  ["password", "mat-khau-rat-dai"],
  ["passwordConfirm", "mat-khau-rat-dai"],
];

function viaOf(db: Db, phone: string) {
  return db.select({ via: users.viaBranchId, branch: users.branchId }).from(users).where(eq(users.phone, phone)).get();
}

describe("a poster's link", () => {
  it("leads to registration with the branch chosen, whatever the case it is typed in", async () => {
    seedContent(ctx.db);
    const result = await call(() => shortLink(args(getRequest("/dk/C1/DL-UBND"), { contestId: "C1", branchCode: "DL-UBND" })));
    expect(result.status).toBe(302);
    const target = new URL(result.headers.get("Location")!, "http://x");
    expect(target.pathname).toBe("/dang-ky");
    expect(target.searchParams.get("qua")).toBe("dl-ubnd");
    expect(target.searchParams.get("redirectTo")).toBe("/cuoc-thi/c1");

    const page = await call<{ poster: { branchId: string; districtId: string; branchName: string } | null }>(() =>
      registerLoader(args(getRequest(`${target.pathname}${target.search}`))),
    );
    expect(page.data!.poster).toMatchObject({
      branchId: "dl-ubnd",
      districtId: "da-lat",
      branchName: "Công đoàn cơ quan UBND thành phố Đà Lạt",
    });
  });

  it("takes a logged-in member straight to the contest, and an unknown branch to a plain registration", async () => {
    seedContent(ctx.db);
    const cookie = await sessionCookie(ctx.db, createUser(ctx.db));
    const loggedIn = await call(() =>
      shortLink(args(getRequest("/dk/c1/dl-ubnd", { cookie }), { contestId: "c1", branchCode: "dl-ubnd" })),
    );
    expect(loggedIn.headers.get("Location")).toBe("/cuoc-thi/c1");
    const unknown = await call(() => shortLink(args(getRequest("/dk/c1/khong-co"), { contestId: "c1", branchCode: "khong-co" })));
    expect(unknown.headers.get("Location")).toBe("/dang-ky?redirectTo=%2Fcuoc-thi%2Fc1");
    const noContest = await call(() => shortLink(args(getRequest("/dk/x/dl-ubnd"), { contestId: "x", branchCode: "dl-ubnd" })));
    expect(noContest.status).toBe(404);
  });

  it("follows a merge: the poster of a merged branch chooses the branch it joined", async () => {
    seedContent(ctx.db);
    const admin = createUser(ctx.db);
    const cameThrough = createUser(ctx.db, { branchId: "dl-ubnd" });
    ctx.db.update(users).set({ viaBranchId: "dl-ubnd" }).where(eq(users.id, cameThrough)).run();
    mergeBranch(ctx.db, { fromId: "dl-ubnd", intoId: "dl-so-tttt", actorUserId: admin, now: ctx.now });
    // Who came through the old branch's poster now counts for the branch it joined.
    expect(ctx.db.select({ via: users.viaBranchId }).from(users).where(eq(users.id, cameThrough)).get()!.via).toBe("dl-so-tttt");
    const result = await call(() => shortLink(args(getRequest("/dk/c1/dl-ubnd"), { contestId: "c1", branchCode: "dl-ubnd" })));
    expect(new URL(result.headers.get("Location")!, "http://x").searchParams.get("qua")).toBe("dl-so-tttt");
  });

  it("records the poster's branch only for a registration that came through it, even when the member changes branch", async () => {
    seedContent(ctx.db);
    // Through the poster of dl-ubnd, but the member belongs to dl-so-tttt and says so.
    const through = await register(
      [...PERSON("0912345001", "dl-so-tttt"), ["qua", "dl-ubnd"], ["redirectTo", "/cuoc-thi/c1"]],
      "?qua=dl-ubnd",
    );
    expect(through.status).toBe(302);
    expect(through.headers.get("Location")).toBe("/cuoc-thi/c1");
    expect(viaOf(ctx.db, "0912345001")).toEqual({ via: "dl-ubnd", branch: "dl-so-tttt" });

    const plain = await register(PERSON("0912345002"));
    expect(plain.status).toBe(302);
    expect(viaOf(ctx.db, "0912345002")).toEqual({ via: null, branch: "dl-so-tttt" });

    // A made-up poster code counts for nobody and does not stop the registration.
    const madeUp = await register([...PERSON("0912345003"), ["qua", "khong-co"]]);
    expect(madeUp.status).toBe(302);
    expect(viaOf(ctx.db, "0912345003")!.via).toBeNull();
  }, 60_000);

  it("keeps the poster across the no-JavaScript district step", async () => {
    seedContent(ctx.db);
    const step = await call<{ typed: { districtId: string } }>(() =>
      registerAction(
        args(
          postRequest("/dang-ky?qua=bl-ubnd", [
            ["intent", "district"],
            ["districtId", "bao-loc"],
            ["qua", "bl-ubnd"],
          ]),
        ),
      ),
    );
    expect(step.status).toBe(200);
    expect(step.data!.typed.districtId).toBe("bao-loc");
  });
});

describe("the organizers' poster desk", () => {
  function seedPosterMembers(db: Db) {
    seedContent(db, [resultsContest()]);
    const via = (branchId: string | null, n: number) =>
      Array.from({ length: n }, () => {
        const id = createUser(db);
        db.update(users).set({ viaBranchId: branchId }).where(eq(users.id, id)).run();
        return id;
      });
    const fromTttt = via("dl-so-tttt", 3);
    via("bl-ubnd", 1);
    via(null, 2);
    const roundId = roundIdOf(db, "c1", 1);
    // Two of dl-so-tttt's poster members take round 1 (one twice); a member without a poster too.
    takeRound(db, { roundId, userId: fromTttt[0]!, startAt: inRound1(1), finishAt: inRound1(1.1), prediction: 3, answers: "all" });
    takeRound(db, { roundId, userId: fromTttt[0]!, startAt: inRound1(2), finishAt: inRound1(2.1), prediction: 3, answers: "one" });
    takeRound(db, { roundId, userId: fromTttt[1]!, startAt: inRound1(3), finishAt: inRound1(3.1), prediction: 3, answers: "one" });
    takeRound(db, { roundId, userId: createUser(db), startAt: inRound1(4), finishAt: inRound1(4.1), prediction: 3, answers: "one" });
  }

  it("counts registrations, participants and attempts per branch, and which branches have none", async () => {
    seedPosterMembers(ctx.db);
    expect(branchPosterStats(ctx.db, "c1", "da-lat")).toEqual([
      { id: "dl-so-tttt", name: "Công đoàn Sở Thông tin và Truyền thông", registered: 3, participants: 2, attempts: 3 },
      { id: "dl-ubnd", name: "Công đoàn cơ quan UBND thành phố Đà Lạt", registered: 0, participants: 0, attempts: 0 },
    ]);
    expect(posterSummaryByDistrict(ctx.db)).toEqual([
      { id: "da-lat", name: "Thành phố Đà Lạt", branches: 2, branchesWithRegistrations: 1, registered: 3 },
      { id: "bao-loc", name: "Thành phố Bảo Lộc", branches: 1, branchesWithRegistrations: 1, registered: 1 },
    ]);
  });

  it("shows each branch's printed link, for organizers and admins only", async () => {
    seedPosterMembers(ctx.db);
    const organizer = createUser(ctx.db);
    setRole(ctx.db, organizer, "organizer");
    const cookie = await sessionCookie(ctx.db, organizer);
    const desk = await call<{ district: { id: string }; branches: { id: string; link: string; registered: number }[] }>(() =>
      deskLoader(args(getRequest("/to-chuc/ap-phich/c1?huyen=bao-loc", { cookie }), { contestId: "c1" })),
    );
    expect(desk.status).toBe(200);
    expect(desk.data!.district.id).toBe("bao-loc");
    expect(desk.data!.branches).toEqual([
      {
        id: "bl-ubnd",
        name: "Công đoàn cơ quan UBND thành phố Bảo Lộc",
        link: "localhost/dk/c1/bl-ubnd",
        registered: 1,
        participants: 0,
        attempts: 0,
      },
    ]);

    const judge = createUser(ctx.db);
    setRole(ctx.db, judge, "judge");
    const judgeCookie = await sessionCookie(ctx.db, judge);
    const refused = await call(() => deskLoader(args(getRequest("/to-chuc/ap-phich/c1", { cookie: judgeCookie }), { contestId: "c1" })));
    expect(refused.status).toBe(403);
  });

  it("prints one branch's poster with its QR code, or every branch of a district on one sheet", async () => {
    seedContent(ctx.db);
    const organizer = createUser(ctx.db);
    setRole(ctx.db, organizer, "organizer");
    const cookie = await sessionCookie(ctx.db, organizer);
    type Printed = { kind: string; contest: { title: string; rounds: string[] }; posters: { id: string; link: string; svg: string }[] };
    const one = await call<Printed>(() =>
      printLoader(args(getRequest("/to-chuc/ap-phich/c1/in?cdcs=dl-ubnd", { cookie }), { contestId: "c1" })),
    );
    expect(one.status).toBe(200);
    expect(one.data!.kind).toBe("branch");
    expect(one.data!.contest.rounds).toEqual(["Vòng 1: 07:00 01/10/2024 – 07:00 08/10/2024"]);
    expect(one.data!.posters).toHaveLength(1);
    expect(one.data!.posters[0]!.link).toBe("localhost/dk/c1/dl-ubnd");
    expect(one.data!.posters[0]!.svg).toMatch(/^<svg[^>]*viewBox/);
    expect(one.data!.posters[0]!.svg).not.toMatch(/style=|<script/);

    const sheet = await call<Printed>(() =>
      printLoader(args(getRequest("/to-chuc/ap-phich/c1/in?huyen=da-lat", { cookie }), { contestId: "c1" })),
    );
    expect(sheet.data!.kind).toBe("district");
    expect(sheet.data!.posters.map((p) => p.id)).toEqual(["dl-so-tttt", "dl-ubnd"]);

    const unknown = await call(() =>
      printLoader(args(getRequest("/to-chuc/ap-phich/c1/in?cdcs=khong-co", { cookie }), { contestId: "c1" })),
    );
    expect(unknown.status).toBe(404);
  });
});

/* ---------- certificates ---------- */

async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string[] }> {
  // pdf.js takes the buffer over (transfers it): give it a copy.
  const pdf = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false }).promise;
  const text: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    text.push(
      content.items
        .map((item) => ("str" in item ? item.str : ""))
        .join(" ")
        .replace(/\s+/g, " "),
    );
  }
  await pdf.destroy();
  return { pages: pdf.numPages, text };
}

async function bodyOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

const NAMES = [
  "Nguyễn Thị Hồng Nhung",
  "Trần Văn Đức",
  "Lê Thị Ánh Tuyết",
  "Phạm Quốc Hưng",
  "Hoàng Thị Yến",
  "Đặng Văn Lộc",
  "Vũ Thị Thuỷ",
];

/** Seven members take round 1 of a contest with 6 prizes; the round is then frozen. */
function closedRoundWithWinners(db: Db) {
  seedContent(db, [
    resultsContest({
      certificateSigners: [
        { title: "TM. BAN TỔ CHỨC", name: "Nguyễn Văn Thành" },
        { title: "TRƯỞNG BAN GIÁM KHẢO", name: "Trần Thị Lệ Hằng" },
      ],
    }),
  ]);
  const roundId = roundIdOf(db, "c1", 1);
  const ids = NAMES.map((fullName, i) => {
    const id = createUser(db, i % 2 ? { branchId: "bl-ubnd", districtId: "bao-loc" } : {});
    db.update(users).set({ fullName }).where(eq(users.id, id)).run();
    // Earlier and better first: the ranking follows the list.
    takeRound(db, {
      roundId,
      userId: id,
      startAt: inRound1(i + 1),
      finishAt: inRound1(i + 1) + 60_000 * (i + 1),
      prediction: 7,
      answers: i < 6 ? "all" : "one",
    });
    return id;
  });
  freezeClosedRounds(db, FREEZE_1);
  return { roundId, ids };
}

describe("certificates", () => {
  it("the judges download one A4 landscape page per winner, names and units with their diacritics", async () => {
    ctx.now = FREEZE_1 + 1000;
    closedRoundWithWinners(ctx.db);
    const judge = createUser(ctx.db);
    setRole(ctx.db, judge, "judge");
    const response = await winnersLoader(
      args(getRequest("/giam-khao/c1/vong/1/chung-nhan", { cookie: await sessionCookie(ctx.db, judge) }), {
        contestId: "c1",
        roundNumber: "1",
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toContain("giay-chung-nhan-c1-vong-1.pdf");
    const bytes = await bodyOf(response);
    const { pages, text } = await pdfText(bytes);
    expect(pages).toBe(6); // 1 Nhất, 2 Nhì, 3 Ba; the seventh member won nothing
    NAMES.slice(0, 6).forEach((name, i) => expect(text[i]).toContain(name));
    expect(text.join(" ")).not.toContain(NAMES[6]);
    expect(text[0]).toContain("GIẤY CHỨNG NHẬN");
    expect(text[0]).toContain("Đã đạt Giải Nhất — Vòng 1");
    expect(text[1]).toContain("Đã đạt Giải Nhì — Vòng 1");
    expect(text[5]).toContain("Đã đạt Giải Ba — Vòng 1");
    expect(text[0]).toContain("Công đoàn Sở Thông tin và Truyền thông, Thành phố Đà Lạt");
    expect(text[1]).toContain("Công đoàn cơ quan UBND thành phố Bảo Lộc, Thành phố Bảo Lộc");
    expect(text[0]).toContain("Cuộc thi “Cuộc thi thử nghiệm”");
    expect(text[0]).toContain("Ngày 08 tháng 10 năm 2024");
    expect(text[0]).toContain("TM. BAN TỔ CHỨC");
    expect(text[0]).toContain("Trần Thị Lệ Hằng");
    // A4 landscape.
    const pdf = await getDocument({ data: bytes }).promise;
    const [, , width, height] = (await pdf.getPage(1)).view;
    expect(Math.round(width!)).toBe(842);
    expect(Math.round(height!)).toBe(595);
    await pdf.destroy();
  }, 30_000);

  it("are refused to organizers, and until the round's results are stored", async () => {
    closedRoundWithWinners(ctx.db);
    const organizer = createUser(ctx.db);
    setRole(ctx.db, organizer, "organizer");
    ctx.now = FREEZE_1 + 1000;
    const organizerCookie = await sessionCookie(ctx.db, organizer);
    const refused = await call(() =>
      winnersLoader(
        args(getRequest("/giam-khao/c1/vong/1/chung-nhan", { cookie: organizerCookie }), { contestId: "c1", roundNumber: "1" }),
      ),
    );
    expect(refused.status).toBe(403);
    const judge = createUser(ctx.db);
    setRole(ctx.db, judge, "judge");
    const judgeCookie = await sessionCookie(ctx.db, judge);
    const open = await call(() =>
      winnersLoader(args(getRequest("/giam-khao/c1/vong/2/chung-nhan", { cookie: judgeCookie }), { contestId: "c1", roundNumber: "2" })),
    );
    expect(open.status).toBe(409);
  }, 30_000);

  it("a member downloads their own certificate of participation; a disqualified member has none", async () => {
    ctx.now = FREEZE_1 + 1000;
    const { ids, roundId } = closedRoundWithWinners(ctx.db);
    const mine = await mineLoader(
      args(getRequest("/chung-nhan/c1/1", { cookie: await sessionCookie(ctx.db, ids[6]!) }), { contestId: "c1", roundNumber: "1" }),
    );
    expect(mine.status).toBe(200);
    const { pages, text } = await pdfText(await bodyOf(mine));
    expect(pages).toBe(1);
    expect(text[0]).toContain("Vũ Thị Thuỷ");
    expect(text[0]).toContain("Đã tham gia Vòng 1");
    expect(text[0]).toMatch(/Kết quả: 1\/\d+ điểm/);

    const judge = createUser(ctx.db);
    disqualify(ctx.db, { roundId, userId: ids[0]!, reason: "Gian lận", byUserId: judge, now: ctx.now });
    const disqualifiedCookie = await sessionCookie(ctx.db, ids[0]!);
    const none = await call(() =>
      mineLoader(args(getRequest("/chung-nhan/c1/1", { cookie: disqualifiedCookie }), { contestId: "c1", roundNumber: "1" })),
    );
    expect(none.status).toBe(404);
  }, 30_000);

  it("1,000 winners make one 1,000-page PDF, streamed page by page", async () => {
    const base = {
      kind: "winner" as const,
      branchName: "Công đoàn Trường THPT Chuyên Thăng Long",
      districtName: "Thành phố Đà Lạt",
      prize: "Giải Khuyến khích",
      score: 19,
      maxScore: 20,
      contestTitle: "Tìm hiểu Nghị quyết Đại hội X Công đoàn tỉnh và chuyển đổi số",
      practice: false,
      roundTitle: "Tuần thứ nhất",
      opensAt: Date.UTC(2024, 8, 30, 3),
      closesAt: Date.UTC(2024, 9, 7, 2, 30),
      timezone: "Asia/Ho_Chi_Minh",
      signers: [{ title: "TM. BAN TỔ CHỨC", name: "Nguyễn Văn Thành" }],
    };
    const pages = Array.from({ length: 1000 }, (_, i) => certificateText({ ...base, fullName: `Nguyễn Thị Ngọc Ánh ${i + 1}` }));
    const chunks: Uint8Array[] = [];
    let longestGap = 0;
    let last = performance.now();
    const started = last;
    writeCertificatesPdf(pages, base.closesAt, (chunk) => {
      const at = performance.now();
      longestGap = Math.max(longestGap, at - last);
      last = at;
      chunks.push(chunk);
    });
    const total = performance.now() - started;
    const bytes = new Uint8Array(Buffer.concat(chunks));
    console.info(
      `[print] 1,000 certificates: ${Math.round(total)} ms, ${(bytes.byteLength / 1024).toFixed(0)} KiB, ${chunks.length} chunks, longest gap ${Math.round(longestGap)} ms`,
    );
    expect(chunks.length).toBeGreaterThanOrEqual(1000);
    const { pages: count, text } = await pdfText(bytes);
    expect(count).toBe(1000);
    expect(text[999]).toContain("Nguyễn Thị Ngọc Ánh 1000");
  }, 120_000);
});

describe("signers in the console's contest editor", () => {
  const SETTINGS: [string, string][] = [
    ["intent", "settings"],
    ["title", "Cuộc thi thử nghiệm"],
    ["timezone", "Asia/Ho_Chi_Minh"],
    ["timeLimitMinutes", "20"],
    ["questionsPerAttempt", "7"],
    ["attemptsPerRound", "1"],
    ["prediction", "on"],
    ["rulesMarkdown", ""],
    ["prizes", ""],
  ];

  it("saves them, audited, shows them back and writes them in the downloaded file", async () => {
    seedContent(ctx.db);
    const organizer = createUser(ctx.db);
    setRole(ctx.db, organizer, "organizer");
    const cookie = await sessionCookie(ctx.db, organizer);
    const saved = await call(() =>
      editorAction(
        args(
          postRequest(
            "/to-chuc/cuoc-thi/c1",
            [...SETTINGS, ["certificateSigners", "TM. BAN TỔ CHỨC | Nguyễn Văn Thành\nTrưởng ban giám khảo | Trần Thị Lệ Hằng"]],
            { cookie },
          ),
          { contestId: "c1" },
        ),
      ),
    );
    expect(saved.status).toBe(200);
    expect(ctx.db.select({ s: contests.certificateSigners }).from(contests).where(eq(contests.id, "c1")).get()!.s).toEqual([
      { title: "TM. BAN TỔ CHỨC", name: "Nguyễn Văn Thành" },
      { title: "Trưởng ban giám khảo", name: "Trần Thị Lệ Hằng" },
    ]);
    const audit = ctx.db.$client.prepare("select after from audit_log where action = 'contest.update' order by id desc limit 1").get() as {
      after: string;
    };
    expect(JSON.parse(audit.after).certificateSigners).toHaveLength(2);
    const page = await call<{ contest: { signersText: string } }>(() =>
      editorLoader(args(getRequest("/to-chuc/cuoc-thi/c1", { cookie }), { contestId: "c1" })),
    );
    expect(page.data!.contest.signersText).toBe("TM. BAN TỔ CHỨC | Nguyễn Văn Thành\nTrưởng ban giám khảo | Trần Thị Lệ Hằng");
    const file = await contestDownload(args(getRequest("/to-chuc/cuoc-thi/c1/tai", { cookie }), { contestId: "c1" }));
    expect(await (file as Response).text()).toContain(
      "certificate:\n  signers:\n    - title: TM. BAN TỔ CHỨC\n      name: Nguyễn Văn Thành",
    );
  });

  it("refuses a line it cannot read, next to the field, and keeps what was stored", async () => {
    seedContent(ctx.db, [contest({ certificateSigners: [{ title: "A", name: "B" }] })]);
    const organizer = createUser(ctx.db);
    setRole(ctx.db, organizer, "organizer");
    const cookie = await sessionCookie(ctx.db, organizer);
    const refused = await call<{ errors: Record<string, string> }>(() =>
      editorAction(
        args(postRequest("/to-chuc/cuoc-thi/c1", [...SETTINGS, ["certificateSigners", "A | B\nchỉ một tên"]], { cookie }), {
          contestId: "c1",
        }),
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.data!.errors.certificateSigners).toContain("Dòng 2");
    expect(ctx.db.select({ s: contests.certificateSigners }).from(contests).where(eq(contests.id, "c1")).get()!.s).toEqual([
      { title: "A", name: "B" },
    ]);
    // A form without the field (an older page) keeps the signers.
    const kept = await call(() => editorAction(args(postRequest("/to-chuc/cuoc-thi/c1", SETTINGS, { cookie }), { contestId: "c1" })));
    expect(kept.status).toBe(200);
    expect(ctx.db.select({ s: contests.certificateSigners }).from(contests).where(eq(contests.id, "c1")).get()!.s).toEqual([
      { title: "A", name: "B" },
    ]);
  });
});
