/**
 * The unit list an organizer actually has, through the units page: an .xlsx and a semicolon CSV
 * built here, previewed (nothing written), then confirmed; a partial file that renames and splits
 * nothing; errors by line; an unknown branch is a 404; the round dashboard's counts.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { toXlsx } from "~/.server/exports/xlsx.server";
import type { UnitPlan } from "~/domain/unit-list";
import { unitListMessages, unitsText } from "~/i18n/units.vi";
import * as unitsPage from "~/routes/to-chuc.don-vi";
import * as monitorPage from "~/routes/to-chuc.theo-doi.$contestId.$roundNumber";
import { attempts, auditLog, branches, districts, users, type Role } from "../../db/schema";
import {
  call,
  context,
  createUser,
  getRequest,
  NOW,
  ORIGIN,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  useTestDatabase,
} from "./helpers";

const ctx = useTestDatabase();

async function organizer() {
  const id = createUser(ctx.db, { branchId: "bl-ubnd", districtId: "bao-loc" });
  ctx.db.update(users).set({ role: "organizer" }).where(eq(users.id, id)).run();
  return sessionCookie(ctx.db, id);
}

type Reply = {
  message: string | null;
  error: string | null;
  errors: { line: number; message: string }[];
  preview: { fileName: string; plan: UnitPlan; fingerprint: string; rows: string; ignoredColumns: string[] } | null;
};

function upload(cookie: string, name: string, bytes: Uint8Array<ArrayBuffer> | string) {
  const body = new FormData();
  body.set("intent", "preview");
  body.set("file", new File([bytes], name));
  return call<Reply>(() =>
    unitsPage.action({
      request: new Request(`${ORIGIN}/to-chuc/don-vi`, { method: "POST", headers: { Origin: ORIGIN, Cookie: cookie }, body }),
      params: {},
      context,
    }),
  );
}

function confirm(cookie: string, preview: NonNullable<Reply["preview"]>, allowMoves = false) {
  const body = new FormData();
  body.set("intent", "confirm");
  body.set("fileName", preview.fileName);
  body.set("fingerprint", preview.fingerprint);
  body.set("rows", preview.rows);
  if (allowMoves) body.set("allowMoves", "on");
  return call<Reply>(() =>
    unitsPage.action({
      request: new Request(`${ORIGIN}/to-chuc/don-vi`, { method: "POST", headers: { Origin: ORIGIN, Cookie: cookie }, body }),
      params: {},
      context,
    }),
  );
}

const snapshot = () => ({
  districts: ctx.db.select().from(districts).all(),
  branches: ctx.db.select().from(branches).all(),
  users: ctx.db.select({ id: users.id, districtId: users.districtId, branchId: users.branchId }).from(users).all(),
});

let dlMembers: string[];

beforeEach(() => {
  // Đà Lạt: dl-so-tttt, dl-ubnd (2 members); Bảo Lộc: bl-ubnd.
  seedContent(ctx.db);
  dlMembers = [createUser(ctx.db, { branchId: "dl-ubnd" }), createUser(ctx.db, { branchId: "dl-ubnd" })];
});

describe("an .xlsx with codes: a rename and a move, previewed then confirmed", () => {
  const workbook = () =>
    toXlsx([
      {
        name: "Danh sách",
        header: ["STT", "Mã huyện", "Huyện/Thành phố", "Mã CĐCS", "Công đoàn cơ sở", "Ghi chú"],
        rows: [
          [1, "da-lat", "Thành phố Đà Lạt", "dl-so-tttt", "Công đoàn Sở Thông tin và Truyền thông", null],
          [2, "bao-loc", "Thành phố Bảo Lộc", "bl-ubnd", "Công đoàn Văn phòng HĐND-UBND thành phố Bảo Lộc", "đổi tên 2025"],
          [3, "BAO-LOC", "Thành phố  Bảo Lộc", "dl-ubnd", "Công đoàn cơ quan UBND thành phố Đà Lạt", "chuyển huyện"],
          [4, null, "Huyện Lâm Hà", null, "Công đoàn UBND huyện Lâm Hà", null],
        ],
      },
    ]);

  it("the preview says what would change and writes nothing", async () => {
    const cookie = await organizer();
    const before = snapshot();
    const result = await upload(cookie, "danh-sach.xlsx", workbook());
    expect(result.status).toBe(200);
    const { plan, ignoredColumns } = result.data!.preview!;
    expect(ignoredColumns).toEqual(["Ghi chú"]);
    expect(plan.districts.added).toEqual([{ id: "lam-ha", name: "Huyện Lâm Hà", line: 5 }]);
    expect(plan.districts.renamed).toEqual([]);
    expect(plan.branches.renamed).toEqual([
      expect.objectContaining({
        id: "bl-ubnd",
        from: "Công đoàn cơ quan UBND thành phố Bảo Lộc",
        name: "Công đoàn Văn phòng HĐND-UBND thành phố Bảo Lộc",
        line: 3,
      }),
    ]);
    expect(plan.branches.moved).toEqual([
      {
        id: "dl-ubnd",
        name: "Công đoàn cơ quan UBND thành phố Đà Lạt",
        from: { id: "da-lat", name: "Thành phố Đà Lạt" },
        to: { id: "bao-loc", name: "Thành phố Bảo Lộc" },
        members: 2,
        line: 4,
      },
    ]);
    expect(plan.branches.added).toEqual([
      {
        id: "ubnd-huyen-lam-ha",
        name: "Công đoàn UBND huyện Lâm Hà",
        district: { id: "lam-ha", name: "Huyện Lâm Hà" },
        line: 5,
        sameNameIn: null,
      },
    ]);
    expect(plan.branches.unchanged).toBe(1);
    expect(plan.branches.missing).toEqual([]);
    expect(plan.membersMoving).toBe(2);
    expect(snapshot()).toEqual(before);
  });

  it("moving a branch with members needs the explicit yes; then everything is written and audited", async () => {
    const cookie = await organizer();
    const before = snapshot();
    const preview = (await upload(cookie, "danh-sach.xlsx", workbook())).data!.preview!;

    const refused = await confirm(cookie, preview);
    expect(refused.status).toBe(400);
    expect(refused.data!.error).toBe(unitsText.allowMovesRequired);
    expect(refused.data!.preview!.plan.branches.moved).toHaveLength(1);
    expect(snapshot()).toEqual(before);

    const done = await confirm(cookie, preview, true);
    expect(done.status).toBe(200);
    expect(done.data!.message).toBe(unitsText.imported(1, 1, 0, 1, 1));
    const moved = ctx.db.select().from(branches).where(eq(branches.id, "dl-ubnd")).get()!;
    expect(moved).toMatchObject({ districtId: "bao-loc", name: "Công đoàn cơ quan UBND thành phố Đà Lạt" });
    for (const id of dlMembers)
      expect(ctx.db.select().from(users).where(eq(users.id, id)).get()).toMatchObject({ branchId: "dl-ubnd", districtId: "bao-loc" });
    expect(ctx.db.select().from(branches).where(eq(branches.id, "bl-ubnd")).get()!.name).toBe(
      "Công đoàn Văn phòng HĐND-UBND thành phố Bảo Lộc",
    );
    expect(ctx.db.select().from(districts).where(eq(districts.id, "lam-ha")).get()).toMatchObject({ name: "Huyện Lâm Hà", position: 2 });
    expect(ctx.db.select().from(branches).where(eq(branches.id, "ubnd-huyen-lam-ha")).get()).toMatchObject({
      districtId: "lam-ha",
      position: 3,
    });

    const entries = ctx.db.select().from(auditLog).where(eq(auditLog.subjectKind, "unit")).all();
    expect(entries.map((e) => e.action).sort()).toEqual([
      "branch.create",
      "branch.move",
      "branch.rename",
      "district.create",
      "units.import",
    ]);
    const move = entries.find((e) => e.action === "branch.move")!;
    expect(move).toMatchObject({
      subject: "unit:dl-ubnd",
      before: { districtId: "da-lat" },
      after: { districtId: "bao-loc", movedMembers: 2 },
    });
    expect(entries.find((e) => e.action === "branch.rename")!).toMatchObject({
      before: { name: "Công đoàn cơ quan UBND thành phố Bảo Lộc" },
      after: { name: "Công đoàn Văn phòng HĐND-UBND thành phố Bảo Lộc" },
    });

    // The same confirmation again finds the units changed: nothing more is written.
    const again = await confirm(cookie, preview, true);
    expect(again.status).toBe(409);
    expect(again.data!.error).toBe(unitsText.changedSincePreview);
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "units.import")).all()).toHaveLength(1);
    // …and the file now changes nothing.
    const second = (await upload(cookie, "danh-sach.xlsx", workbook())).data!.preview!;
    expect(
      second.plan.branches.added.length +
        second.plan.branches.moved.length +
        second.plan.branches.renamed.length +
        second.plan.districts.added.length,
    ).toBe(0);
  });
});

describe("a partial semicolon CSV with a BOM and no codes", () => {
  const csv = [
    "\uFEFFDanh sách công đoàn cơ sở tham gia năm 2025;;",
    "",
    "STT;Tên huyện;Tên công đoàn cơ sở",
    "1;Thành phố Đà Lạt;Công đoàn Sở Thông tin và Truyền thông",
    '2;TP. Đà Lạt;"Công đoàn Trường THPT Chuyên Thăng Long; Đà Lạt, Lâm Đồng"',
    "3;thành phố bảo lộc;Công đoàn cơ quan UBND thành phố Đà Lạt",
    "",
  ].join("\r\n");

  it("adds what is new, renames and moves nothing, and reports what is missing", async () => {
    const cookie = await organizer();
    const result = await upload(cookie, "don-vi.csv", new TextEncoder().encode(csv));
    expect(result.status).toBe(200);
    const preview = result.data!.preview!;
    const { plan } = preview;
    expect(plan.districts).toEqual({ added: [], renamed: [], unchanged: 2, missing: [] });
    expect(plan.branches.renamed).toEqual([]);
    expect(plan.branches.moved).toEqual([]);
    expect(plan.branches.added).toEqual([
      {
        // The slug cut at a word to at most 40 characters.
        id: "truong-thpt-chuyen-thang-long-da-lat",
        name: "Công đoàn Trường THPT Chuyên Thăng Long; Đà Lạt, Lâm Đồng",
        district: { id: "da-lat", name: "Thành phố Đà Lạt" },
        line: 5,
        sameNameIn: null,
      },
      // Same name as Đà Lạt's branch, but without a code that is not a move: a new branch.
      {
        id: "co-quan-ubnd-thanh-pho-da-lat",
        name: "Công đoàn cơ quan UBND thành phố Đà Lạt",
        district: { id: "bao-loc", name: "Thành phố Bảo Lộc" },
        line: 6,
        sameNameIn: "Thành phố Đà Lạt",
      },
    ]);
    expect(plan.branches.missing).toEqual([
      { id: "dl-ubnd", name: "Công đoàn cơ quan UBND thành phố Đà Lạt", district: { id: "da-lat", name: "Thành phố Đà Lạt" }, members: 2 },
      {
        id: "bl-ubnd",
        name: "Công đoàn cơ quan UBND thành phố Bảo Lộc",
        district: { id: "bao-loc", name: "Thành phố Bảo Lộc" },
        members: 1,
      },
    ]);
    expect(plan.membersMoving).toBe(0);

    const done = await confirm(cookie, preview);
    expect(done.status).toBe(200);
    const after = ctx.db.select().from(branches).all();
    expect(after.map((b) => b.id).sort()).toEqual([
      "bl-ubnd",
      "co-quan-ubnd-thanh-pho-da-lat",
      "dl-so-tttt",
      "dl-ubnd",
      "truong-thpt-chuyen-thang-long-da-lat",
    ]);
    expect(ctx.db.select().from(districts).where(eq(districts.id, "da-lat")).get()!.name).toBe("Thành phố Đà Lạt");
    for (const id of dlMembers)
      expect(ctx.db.select().from(users).where(eq(users.id, id)).get()).toMatchObject({ branchId: "dl-ubnd", districtId: "da-lat" });

    // Importing the same file again matches every row by name: the generated codes are stable.
    const again = (await upload(cookie, "don-vi.csv", new TextEncoder().encode(csv))).data!.preview!;
    expect(again.plan.branches.added).toEqual([]);
    expect(again.plan.branches.unchanged).toBe(3);
  });

  it("reads the same list as UTF-8 without a BOM, comma-separated", async () => {
    const cookie = await organizer();
    const comma = 'Tên huyện,Tên CĐCS\nThành phố Đà Lạt,"Công đoàn Trường A; B"\n';
    const result = await upload(cookie, "don-vi.csv", comma);
    expect(result.data!.preview!.plan.branches.added.map((b) => b.name)).toEqual(["Công đoàn Trường A; B"]);
  });
});

describe("the earlier formats go through the same preview", () => {
  it("units.md and a headerless code,name,code,name CSV", async () => {
    const cookie = await organizer();
    const md = [
      "## Huyện, thành phố",
      "",
      "| Mã | Tên |",
      "| --- | --- |",
      "| da-lat | Thành phố Đà Lạt |",
      "| lam-ha | Huyện Lâm Hà |",
      "",
      "## Công đoàn cơ sở",
      "",
      "| Mã | Tên | Huyện, thành phố |",
      "| --- | --- | --- |",
      "| dl-ubnd | Công đoàn Văn phòng UBND Đà Lạt | da-lat |",
      "",
    ].join("\n");
    const fromMd = (await upload(cookie, "units.md", md)).data!.preview!.plan;
    expect(fromMd.districts.added).toEqual([{ id: "lam-ha", name: "Huyện Lâm Hà", line: 6 }]);
    expect(fromMd.branches.renamed.map((b) => [b.id, b.name, b.line])).toEqual([["dl-ubnd", "Công đoàn Văn phòng UBND Đà Lạt", 12]]);

    const legacy = "da-lat,Thành phố Đà Lạt,dl-moi,Công đoàn Trường Mới\nlam-ha,Huyện Lâm Hà,lh-a,Công đoàn UBND huyện Lâm Hà\n";
    const fromCsv = (await upload(cookie, "don-vi.csv", legacy)).data!.preview!.plan;
    expect(fromCsv.branches.added.map((b) => [b.id, b.district.id, b.line])).toEqual([
      ["dl-moi", "da-lat", 1],
      ["lh-a", "lam-ha", 2],
    ]);
  });
});

describe("a file with mistakes changes nothing and says where", () => {
  it("every bad row, as Dòng N", async () => {
    const cookie = await organizer();
    const before = snapshot();
    const csv = [
      "STT;Mã huyện;Tên huyện;Mã CĐCS;Tên CĐCS",
      "1;da-lat;Thành phố Đà Lạt;dl-a;Công đoàn A",
      "2;;;dl-b;Công đoàn B",
      "3;da-lat;Thành phố Đà Lạt;???;Công đoàn C",
      "4;da-lat;Thành phố Đà Lạt;dl-a;Công đoàn D",
      "5;da-lat;Thành phố Đà Lạt;;Công đoàn A",
    ].join("\n");
    const result = await upload(cookie, "loi.csv", csv);
    expect(result.status).toBe(400);
    expect(result.data!.errors).toEqual([
      { line: 3, message: unitListMessages.districtNameMissing },
      { line: 4, message: unitListMessages.badCode("???") },
    ]);
    const fixed = csv.replace("2;;;dl-b", "2;da-lat;Thành phố Đà Lạt;dl-b").replace("???", "DL C");
    const second = await upload(cookie, "loi.csv", fixed);
    expect(second.data!.errors).toEqual([
      { line: 5, message: unitListMessages.duplicateCode("dl-a", 2) },
      { line: 6, message: unitListMessages.duplicateBranch(2) },
    ]);
    expect(snapshot()).toEqual(before);
  });

  it("a file without the two headers, an old .xls, a CSV that is not UTF-8", async () => {
    const cookie = await organizer();
    const noHeader = await upload(cookie, "x.csv", "Huyện;Ghi chú\nĐà Lạt;x\n");
    expect(noHeader.data!.errors).toEqual([{ line: 1, message: unitListMessages.headerMissing }]);
    const xls = await upload(cookie, "x.xls", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]));
    expect(xls.data!.errors).toEqual([{ line: 1, message: unitListMessages.oldXls }]);
    const latin1 = await upload(cookie, "x.csv", new Uint8Array([0x54, 0xea, 0x6e, 0x0a]));
    expect(latin1.data!.errors).toEqual([{ line: 1, message: unitListMessages.notUtf8 }]);
  });

  it("a tampered confirmation is refused", async () => {
    const cookie = await organizer();
    const body = new FormData();
    body.set("intent", "confirm");
    body.set("fingerprint", "0".repeat(32));
    body.set("rows", JSON.stringify([[1, "NOT A CODE", "x", null, "y"]]));
    const result = await call<Reply>(() =>
      unitsPage.action({
        request: new Request(`${ORIGIN}/to-chuc/don-vi`, { method: "POST", headers: { Origin: ORIGIN, Cookie: cookie }, body }),
        params: {},
        context,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.data!.error).toBe(unitsText.badPreview);
  });
});

describe("acting on an unknown branch", () => {
  it("rename and merge answer 404, and change nothing", async () => {
    const cookie = await organizer();
    const before = snapshot();
    for (const fields of [
      [
        ["intent", "rename"],
        ["branchId", "khong-co"],
        ["name", "Tên mới của đơn vị"],
      ],
      [
        ["intent", "merge"],
        ["branchId", "khong-co"],
        ["intoId", "dl-ubnd"],
      ],
    ] as [string, string][][]) {
      const result = await call(() =>
        unitsPage.action({ request: postRequest("/to-chuc/don-vi", fields, { cookie }), params: {}, context }),
      );
      expect(result.status).toBe(404);
      expect(result.thrown).toBe(true);
    }
    const intoUnknown = await call<Reply>(() =>
      unitsPage.action({
        request: postRequest(
          "/to-chuc/don-vi",
          [
            ["intent", "merge"],
            ["branchId", "dl-ubnd"],
            ["intoId", "khong-co"],
          ],
          { cookie },
        ),
        params: {},
        context,
      }),
    );
    expect(intoUnknown.status).toBe(400);
    expect(intoUnknown.data!.error).toBe(unitsText.mergeTargetNotFound);
    expect(snapshot()).toEqual(before);
  });
});

describe("the units page, a page at a time", () => {
  it("lists districts, one district's branches, and finds names without diacritics", async () => {
    const cookie = await organizer();
    const load = (query: string) =>
      call<Awaited<ReturnType<typeof unitsPage.loader>>>(() =>
        unitsPage.loader({ request: getRequest(`/to-chuc/don-vi${query}`, { cookie }), params: {}, context }),
      );
    const home = (await load("")).data!;
    expect(home.view).toBe("districts");
    expect(home.districts).toEqual([
      { id: "da-lat", name: "Thành phố Đà Lạt", branches: 2, members: 2 },
      { id: "bao-loc", name: "Thành phố Bảo Lộc", branches: 1, members: 1 },
    ]);
    expect(home.branches).toEqual([]);
    const district = (await load("?huyen=da-lat")).data!;
    expect(district.branches.map((b) => [b.id, b.members])).toEqual([
      ["dl-so-tttt", 0],
      ["dl-ubnd", 2],
    ]);
    expect(district.mergeTargets.map((b) => b.id)).toEqual(["dl-so-tttt", "dl-ubnd"]);
    const found = (await load(`?q=${encodeURIComponent("ubnd BAO loc")}`)).data!;
    expect(found.branches.map((b) => b.id)).toEqual(["bl-ubnd"]);
  });
});

describe("the round dashboard", () => {
  it("counts expired attempts apart from submitted ones, and staff are not unit members", async () => {
    const cookie = await organizer();
    const roundId = roundIdOf(ctx.db);
    const [submitted, expired, answering] = dlMembers.concat(createUser(ctx.db, { branchId: "dl-ubnd" }));
    const judge = createUser(ctx.db, { branchId: "dl-ubnd" });
    ctx.db
      .update(users)
      .set({ role: "judge" as Role })
      .where(eq(users.id, judge))
      .run();
    const attempt = (userId: string, status: "submitted" | "expired" | "in_progress") =>
      ctx.db
        .insert(attempts)
        .values({
          id: randomUUID(),
          roundId,
          userId,
          attemptNumber: 1,
          startedAt: NOW - 30 * 60_000,
          deadlineAt: NOW - 10 * 60_000,
          status,
          finalizedAt: status === "in_progress" ? null : NOW - 10 * 60_000,
          score: status === "in_progress" ? null : 3,
          maxScore: 8,
          questionCount: 7,
        })
        .run();
    attempt(submitted!, "submitted");
    attempt(expired!, "expired");
    attempt(answering!, "in_progress");
    attempt(judge, "submitted");

    const page = await call<Awaited<ReturnType<typeof monitorPage.loader>>>(() =>
      monitorPage.loader({
        request: getRequest("/to-chuc/theo-doi/c1/1", { cookie }),
        params: { contestId: "c1", roundNumber: "1" },
        context,
      }),
    );
    expect(page.data!.totals).toEqual({ starts: 4, inProgress: 1, submissions: 2, expired: 1, participants: 3 });
    const branch = page.data!.branches.find((b) => b.unitId === "dl-ubnd")!;
    // 3 members (the judge and the organizer are staff); 2 of them finished (submitted or expired).
    expect(branch).toMatchObject({ members: 3, participants: 2 });
    const district = page.data!.districts.find((d) => d.unitId === "da-lat")!;
    expect(district).toMatchObject({ members: 3, participants: 2 });
    expect(
      ctx.db
        .select()
        .from(users)
        .where(and(eq(users.branchId, "dl-ubnd")))
        .all(),
    ).toHaveLength(4);
  });
});
