/**
 * The audit page (issue 17): entries name their subject and the values before and after; staff
 * filter them by subject, person and days (Vietnam time) and download them as CSV; members and
 * the public never see them.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { disqualify, reinstate } from "~/.server/results.server";
import { actOnAccount } from "~/.server/members.server";
import { mergeBranch, renameBranch } from "~/.server/units.server";
import { historyStrings } from "~/i18n/history.vi";
import * as auditRoute from "~/routes/to-chuc.nhat-ky";
import * as auditCsvRoute from "~/routes/to-chuc.nhat-ky.tai";
import { auditLog } from "../../db/schema";
import { parseCsv } from "../helpers/spreadsheets";
import { call, context, createUser, getRequest, roundIdOf, seedContent, sessionCookie, useTestDatabase } from "./helpers";
import { resultsContest, setRole } from "./results-helpers";

const ctx = useTestDatabase();
const s = historyStrings.audit;

/** 10:00 in Vietnam (UTC+7) on the given October 2024 day. */
const vn = (day: number, hour = 10) => Date.UTC(2024, 9, day, hour - 7, 0);
const FORMULA = '=HYPERLINK("http://evil.example","Bấm vào đây")';

interface PageData {
  total: number;
  page: number;
  pages: number;
  errors: Record<string, string>;
  entries: {
    action: string;
    actionCode: string;
    kind: string;
    subject: string;
    actor: string;
    at: string;
    changes: { field: string; before: string; after: string }[];
    notes: string[];
  }[];
}

let organizer: string;
let judge: string;
let admin: string;
let member: string;
const cookies: Record<string, string> = {};

beforeEach(async () => {
  seedContent(ctx.db, [resultsContest()]);
  organizer = createUser(ctx.db, { phone: "0912000201" });
  judge = createUser(ctx.db, { phone: "0912000202" });
  admin = createUser(ctx.db, { phone: "0912000203" });
  member = createUser(ctx.db, { phone: "0912000204" });
  // A member who only looks (the one above is changed by the acts below).
  const visitor = createUser(ctx.db, { phone: "0912000205" });
  setRole(ctx.db, organizer, "organizer");
  setRole(ctx.db, judge, "judge");
  setRole(ctx.db, admin, "admin");
  for (const [name, id] of Object.entries({ organizer, judge, admin, member: visitor })) cookies[name] = await sessionCookie(ctx.db, id);

  const roundId = roundIdOf(ctx.db, "c1", 1);
  renameBranch(ctx.db, { branchId: "dl-ubnd", name: FORMULA, actorUserId: organizer, now: vn(10) });
  mergeBranch(ctx.db, { fromId: "dl-ubnd", intoId: "bl-ubnd", actorUserId: organizer, now: vn(11) });
  disqualify(ctx.db, { roundId, userId: member, reason: "Thi hộ người khác", byUserId: judge, now: vn(12) });
  reinstate(ctx.db, { roundId, userId: member, reason: "Đã xác minh lại", byUserId: judge, now: vn(12, 11) });
  // Acts on a privileged account need an admin (docs/decisions/006).
  const asAdmin = { id: admin, role: "admin" as const };
  expect(actOnAccount(ctx.db, { actor: asAdmin, userId: member, change: { act: "set-role", role: "organizer" }, now: vn(13) }).ok).toBe(
    true,
  );
  expect(actOnAccount(ctx.db, { actor: asAdmin, userId: member, change: { act: "deactivate" }, now: vn(14, 23) }).ok).toBe(true);
  // An entry as code not converted yet writes it: no subject kind, no before/after.
  ctx.db
    .insert(auditLog)
    .values({ at: vn(15), actorUserId: organizer, action: "contest.update", subject: "contest:c1", details: { change: "update" } })
    .run();
});

async function page(query: string, who: keyof typeof cookies | null = "organizer") {
  return call<PageData>(() =>
    auditRoute.loader({
      request: getRequest(`/to-chuc/nhat-ky?${query}`, { cookie: who ? cookies[who] : undefined }),
      params: {},
      context,
    }),
  );
}

async function entries(query: string, who: keyof typeof cookies = "organizer") {
  const result = await page(query, who);
  expect(result.status, query).toBe(200);
  return result.data!;
}

describe("the audit page", () => {
  it("lists every entry newest first with a readable action, subject and before → after", async () => {
    const all = await entries("");
    // 7 acts above and the content import that seeded the test (its summary, and the contest it created).
    expect(all.total).toBe(9);
    expect(all.entries.map((e) => e.actionCode)).toEqual([
      "contest.update",
      "user.deactivate",
      "user.set_role",
      "round.reinstate",
      "round.disqualify",
      "branch.merge",
      "branch.rename",
      "content.import",
      "contest.create",
    ]);
    const byCode = Object.fromEntries(all.entries.map((e) => [e.actionCode, e]));
    expect(byCode["branch.rename"]).toMatchObject({
      action: "Đổi tên công đoàn cơ sở",
      kind: "unit",
      subject: FORMULA,
      actor: "Người Thử Nghiệm",
      at: "10/10/2024 10:00",
      changes: [{ field: "Tên", before: "Công đoàn cơ quan UBND thành phố Đà Lạt", after: FORMULA }],
    });
    expect(byCode["branch.merge"]!.changes).toEqual([
      { field: "Sáp nhập vào", before: s.empty_, after: "Công đoàn cơ quan UBND thành phố Bảo Lộc" },
      { field: "Huyện, thành phố", before: "Thành phố Đà Lạt", after: "Thành phố Bảo Lộc" },
      { field: "Số thành viên chuyển", before: s.empty_, after: "0" },
    ]);
    expect(byCode["round.disqualify"]).toMatchObject({
      action: "Loại thí sinh",
      kind: "round",
      subject: "Cuộc thi thử nghiệm · Vòng 1",
      changes: [
        { field: "Bị loại", before: "không", after: "có" },
        { field: "Lý do", before: s.empty_, after: "Thi hộ người khác" },
      ],
      notes: ["Thành viên: Người Thử Nghiệm (0912000204)"],
    });
    expect(byCode["round.reinstate"]!.notes).toEqual(["Thành viên: Người Thử Nghiệm (0912000204)", "Lý do: Đã xác minh lại"]);
    expect(byCode["user.set_role"]!.changes).toEqual([{ field: "Vai trò", before: "Đoàn viên", after: "Ban tổ chức" }]);
    expect(byCode["user.deactivate"]!.changes).toEqual([{ field: "Hoạt động", before: "có", after: "không" }]);
    expect(byCode["contest.update"]).toMatchObject({ action: "Sửa cuộc thi", kind: "contest", subject: "Cuộc thi thử nghiệm" });
    expect(byCode["content.import"]!.actor).toBe(s.commandLine(null)); // imported in code, as the command line does, with no OS user recorded
  });

  it("filters by subject: a unit, a member by phone (judges' decisions about them included), a contest with older entries", async () => {
    expect((await entries("loai=unit&ma=dl-ubnd")).entries.map((e) => e.actionCode)).toEqual(["branch.merge", "branch.rename"]);
    expect((await entries("loai=member&ma=0912 000 204")).entries.map((e) => e.actionCode)).toEqual([
      "user.deactivate",
      "user.set_role",
      "round.reinstate",
      "round.disqualify",
    ]);
    expect((await entries("loai=round")).entries.map((e) => e.actionCode)).toEqual(["round.reinstate", "round.disqualify"]);
    // A contest's entries include its rounds'; a round is named `<contest>/<number>`.
    expect((await entries("loai=contest&ma=c1")).entries.map((e) => e.actionCode)).toEqual([
      "contest.update",
      "round.reinstate",
      "round.disqualify",
      "contest.create",
    ]);
    expect((await entries("loai=round&ma=c1/1")).entries.map((e) => e.actionCode)).toEqual(["round.reinstate", "round.disqualify"]);
    expect((await entries("loai=round&ma=c1/2")).total).toBe(0);
    expect((await entries("loai=unit&ma=khong-co")).total).toBe(0);
  });

  it("filters by person and by days in Vietnam time, and pages", async () => {
    expect((await entries("nguoi=0912000202")).entries.map((e) => e.actionCode)).toEqual(["round.reinstate", "round.disqualify"]);
    expect((await entries("tu=11/10/2024&den=12/10/2024")).entries.map((e) => e.actionCode)).toEqual([
      "round.reinstate",
      "round.disqualify",
      "branch.merge",
    ]);
    // 23:00 on 14/10 in Vietnam is 16:00 UTC the same day: it belongs to 14/10, not 15/10.
    expect((await entries("tu=14/10/2024&den=14/10/2024")).entries.map((e) => e.actionCode)).toEqual(["user.deactivate"]);
    expect((await entries("nguoi=0912000201&tu=11/10/2024")).entries.map((e) => e.actionCode)).toEqual(["contest.update", "branch.merge"]);

    // 60 more entries: two pages of 50, the second holding the rest.
    for (let i = 0; i < 60; i++)
      renameBranch(ctx.db, { branchId: "dl-so-tttt", name: `Tên ${i}`, actorUserId: organizer, now: vn(20) + i });
    const first = await entries("loai=unit&ma=dl-so-tttt");
    expect([first.total, first.pages, first.entries.length, first.entries[0]!.changes[0]!.after]).toEqual([60, 2, 50, "Tên 59"]);
    const second = await entries("loai=unit&ma=dl-so-tttt&trang=2");
    expect([second.page, second.entries.length, second.entries.at(-1)!.changes[0]]).toEqual([
      2,
      10,
      { field: "Tên", before: "Công đoàn Sở Thông tin và Truyền thông", after: "Tên 0" },
    ]);
  });

  it("says which filter field is wrong, listing nothing", async () => {
    const bad = await page("tu=31/02/2024&den=1-10-2024&nguoi=12345&loai=ca-nhan");
    expect(bad.status).toBe(400);
    expect(bad.data!.entries).toEqual([]);
    expect(bad.data!.errors).toEqual({ from: s.errors.badDate, to: s.errors.badDate, person: s.errors.badPerson, kind: s.errors.badKind });
    expect((await page("tu=12/10/2024&den=11/10/2024")).data!.errors).toEqual({ to: s.errors.range });
    expect((await page("nguoi=0987654321")).data!.errors).toEqual({ person: s.errors.unknownPerson });
    expect((await page("ma=dl-ubnd")).data!.errors).toEqual({ id: s.errors.idWithoutKind });
  });

  it("is for admins, organizers and judges only: 403 for a member, the login page for the public", async () => {
    for (const who of ["organizer", "judge", "admin"] as const) expect((await page("", who)).status, who).toBe(200);
    const asMember = await page("", "member");
    expect([asMember.status, asMember.thrown]).toEqual([403, true]);
    const anonymous = await page("", null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/dang-nhap\?redirectTo=/);
  });
});

describe("the audit CSV", () => {
  async function download(query: string, who: keyof typeof cookies | null) {
    return call(() =>
      auditCsvRoute.loader({
        request: getRequest(`/to-chuc/nhat-ky/tai?${query}`, { cookie: who ? cookies[who] : undefined }),
        params: {},
        context,
      }),
    );
  }

  it("holds the filtered entries, UTF-8 with BOM, with formulas neutralised", async () => {
    const result = await download("loai=unit&ma=dl-ubnd", "judge");
    expect(result.status).toBe(200);
    expect(result.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(result.headers.get("Content-Disposition")).toContain('filename="nhat-ky-thay-doi.csv"');
    const bytes = new Uint8Array(await result.response!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1));
    expect(header).toEqual(s.csvHeader);
    expect(rows.map((r) => r.slice(0, 9))).toEqual([
      [
        "11/10/2024 10:00",
        "Người Thử Nghiệm",
        "0912000201",
        "Sáp nhập công đoàn cơ sở",
        "branch.merge",
        "Đơn vị",
        "dl-ubnd",
        `'${FORMULA}`,
        `Sáp nhập vào: ${s.empty_} → Công đoàn cơ quan UBND thành phố Bảo Lộc; Huyện, thành phố: Thành phố Đà Lạt → Thành phố Bảo Lộc; Số thành viên chuyển: ${s.empty_} → 0`,
      ],
      [
        "10/10/2024 10:00",
        "Người Thử Nghiệm",
        "0912000201",
        "Đổi tên công đoàn cơ sở",
        "branch.rename",
        "Đơn vị",
        "dl-ubnd",
        `'${FORMULA}`,
        `Tên: Công đoàn cơ quan UBND thành phố Đà Lạt → ${FORMULA}`,
      ],
    ]);
    expect(JSON.parse(rows[1]![9]!)).toEqual({ name: "Công đoàn cơ quan UBND thành phố Đà Lạt" });
    expect(JSON.parse(rows[1]![10]!)).toEqual({ name: FORMULA });
  });

  it("is refused to members (403), sends the public to log in, and says why a filter is wrong (400)", async () => {
    expect((await download("", "member")).status).toBe(403);
    expect((await download("", null)).status).toBe(302);
    const bad = await download("tu=32/10/2024", "organizer");
    expect(bad.status).toBe(400);
    expect(await bad.response!.text()).toBe(s.errors.badDate);
  });
});
