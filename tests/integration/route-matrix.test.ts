/**
 * Who may do what, everywhere: every route × every action intent × every kind of person, with the
 * status each must get. The route list is read from app/routes (the files `flatRoutes` in
 * app/routes.ts turns into routes) and the intents from each route's source, so a new route or a new
 * intent without a row here fails the test: add one line to ROWS.
 *
 * People: anonymous, the member who owns the attempts ("member"), an organizer, a judge, an admin,
 * and another member ("other", who owns nothing here). The world: contest c1 with round 1 closed
 * (the member took it) and round 2 open (the member has an attempt in progress).
 *
 * No page load writes (decision 013): every GET cell also checks that the loader changed no row
 * (SQLite's `total_changes()` on the connection the loaders use, before and after).
 *
 * Loaders and actions are called as Remix calls them; a route without an action answers a POST with
 * 405 and one without a loader a GET with 400 (Remix itself does that; the harness says so).
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setClock } from "~/.server/clock.server";
import { startAttempt, submitAttempt } from "~/.server/attempts.server";
import { freezeClosedRounds } from "~/.server/results.server";
import {
  DAY,
  NOW,
  ORIGIN,
  call,
  context,
  contest,
  createUser,
  getRequest,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  storedItems,
  OPENS_AT,
  CLOSES_AT,
} from "./helpers";
import remixConfig from "../../remix.config.js";
import { openDatabase, type Db } from "../../db/client";
import { users, type Role } from "../../db/schema";

// Not useTestDatabase: migrating a new file for each of the ~400 cells would take most of the time;
// every cell starts from a copy of one world file instead (see "every cell" below).
let cellDb: Db | undefined;

/* ---------- the rows: one line per route × intent ---------- */

const PEOPLE = ["anonymous", "member", "organizer", "judge", "admin", "other"] as const;
type Person = (typeof PEOPLE)[number];

interface Row {
  /** The route file, without extension. */
  route: string;
  /** "GET", or the action's intent ("POST" for an action without intents). */
  intent: string;
  /** Route params; "@..." are replaced by the fixture's ids. */
  params?: Record<string, string>;
  /** Form fields; "@..." replaced likewise. A field named "file" is sent as an uploaded file. */
  fields?: Record<string, string>;
  /** Statuses for anonymous, member, organizer, judge, admin, other. */
  expect: string;
}

const C1 = { contestId: "c1" };
const R1 = { contestId: "c1", roundNumber: "1" };
const R2 = { contestId: "c1", roundNumber: "2" };
const UNITS_CSV = "Mã huyện,Tên huyện,Mã CĐCS,Tên CĐCS\nda-lat,Thành phố Đà Lạt,dl-so-tttt,Công đoàn Sở Thông tin và Truyền thông\n";
const BANK_MD = "---\nid: bo-a\ntitle: Bộ A\n---\n\n## a-001\n\nCâu?\n\n- [x] Đúng\n- [ ] Sai\n";

//                                                                                                          anon mem org judge admin other
const ROWS: Row[] = [
  { route: "$", intent: "GET", params: { "*": "khong-co" }, expect: "404 404 404 404 404 404" },
  { route: "_index", intent: "GET", expect: "200 200 200 200 200 200" },
  { route: "healthz", intent: "GET", expect: "200 200 200 200 200 200" },
  // Prometheus: the cells' address (10.0.0.1) is not on METRICS_ALLOW (default loopback): admins only.
  { route: "metrics", intent: "GET", expect: "302 403 403 403 200 403" },
  { route: "cuoc-thi.$contestId._index", intent: "GET", params: C1, expect: "200 200 200 200 200 200" },
  { route: "cuoc-thi.$contestId.xep-hang", intent: "GET", params: C1, expect: "200 200 200 200 200 200" },
  { route: "cuoc-thi.$contestId.vong.$roundNumber", intent: "GET", params: R2, expect: "200 200 200 200 200 200" },
  { route: "cuoc-thi.$contestId.vong.$roundNumber", intent: "start", params: R2, expect: "302 302 302 302 302 302" },
  // Issue 11: the partner-site embed and the share card are public (they show what the contest page shows).
  { route: "nhung.$contestId", intent: "GET", params: C1, expect: "200 200 200 200 200 200" },
  { route: "cuoc-thi.$contestId.anh-chia-se[.]png", intent: "GET", params: C1, expect: "200 200 200 200 200 200" },
  { route: "bai-thi.$attemptId._index", intent: "GET", params: { attemptId: "@open" }, expect: "302 200 404 404 404 404" },
  {
    route: "bai-thi.$attemptId._index",
    intent: "save",
    params: { attemptId: "@open" },
    fields: { position: "0", option: "@option" },
    expect: "302 200 404 404 404 404",
  },
  {
    route: "bai-thi.$attemptId._index",
    intent: "submit",
    params: { attemptId: "@open" },
    fields: { prediction: "5", confirm: "1" },
    expect: "302 302 404 404 404 404",
  },
  // The quiz script's save: the same rules as the page's "save" intent, a JSON reply.
  { route: "bai-thi.$attemptId.tra-loi", intent: "GET", params: { attemptId: "@open" }, expect: "302 302 302 302 302 302" },
  {
    route: "bai-thi.$attemptId.tra-loi",
    intent: "POST",
    params: { attemptId: "@open" },
    fields: { position: "0", option: "@option" },
    expect: "302 200 404 404 404 404",
  },
  { route: "bai-thi.$attemptId.ket-qua", intent: "GET", params: { attemptId: "@finished" }, expect: "302 200 404 404 404 404" },
  { route: "dang-ky", intent: "GET", expect: "200 302 302 302 302 302" },
  { route: "dang-ky", intent: "district", fields: { districtId: "da-lat" }, expect: "200 302 302 302 302 302" },
  {
    route: "dang-ky",
    intent: "register",
    fields: {
      fullName: "Người Mới",
      phone: "0987654300",
      districtId: "da-lat",
      branchId: "dl-so-tttt",
      password: "mat-khau-moi-1",
      passwordConfirm: "mat-khau-moi-1",
    },
    expect: "302 302 302 302 302 302",
  },
  { route: "dang-nhap", intent: "GET", expect: "200 302 302 302 302 302" },
  { route: "dang-nhap", intent: "POST", fields: { phone: "0987654301", password: "sai-mat-khau" }, expect: "400 302 302 302 302 302" },
  // A member with an attempt in progress is asked before being signed out (issue 15).
  { route: "dang-xuat", intent: "GET", expect: "302 200 302 302 302 302" },
  { route: "dang-xuat", intent: "POST", expect: "302 302 302 302 302 302" },
  { route: "doi-mat-khau", intent: "GET", expect: "302 200 200 200 200 200" },
  {
    route: "doi-mat-khau",
    intent: "POST",
    fields: { current: "sai-mat-khau", password: "mat-khau-moi-1", passwordConfirm: "mat-khau-moi-1" },
    expect: "302 400 400 400 400 400",
  },
  { route: "giam-khao._index", intent: "GET", expect: "302 403 403 200 200 403" },
  { route: "giam-khao.$contestId.vong.$roundNumber", intent: "GET", params: R1, expect: "302 403 403 200 200 403" },
  {
    route: "giam-khao.$contestId.vong.$roundNumber",
    intent: "disqualify",
    params: R1,
    fields: { phone: "@memberPhone", reason: "Gian lận trong bài thi" },
    expect: "302 403 403 200 200 403",
  },
  {
    route: "giam-khao.$contestId.vong.$roundNumber",
    intent: "reinstate",
    params: R1,
    fields: { userId: "@member", reason: "Xem xét lại" },
    expect: "302 403 403 400 400 403",
  },
  { route: "giam-khao.$contestId.vong.$roundNumber", intent: "rescore", params: R1, expect: "302 403 403 200 200 403" },
  {
    route: "giam-khao.$contestId.vong.$roundNumber",
    intent: "draw",
    params: R1,
    fields: { rank: "1", reason: "Bốc thăm công khai" },
    expect: "302 403 403 409 409 403",
  },
  {
    route: "giam-khao.$contestId.vong.$roundNumber.tai.$file",
    intent: "GET",
    params: { ...R1, file: "xep-hang.csv" },
    expect: "302 403 403 200 200 403",
  },
  // Winners' certificates: the judges' desk and admins; the world's contest has no prize tiers, so
  // the desk is told there is no winner (409) — tests/integration/print.test.ts downloads real ones.
  { route: "giam-khao.$contestId.vong.$roundNumber.chung-nhan", intent: "GET", params: R1, expect: "302 403 403 409 409 403" },
  // A certificate of participation is always one's own (no member in the address): only the member
  // who took round 1 has one; everyone else is told they are not in its results.
  { route: "chung-nhan.$contestId.$roundNumber", intent: "GET", params: R1, expect: "302 200 404 404 404 404" },
  { route: "chung-nhan.$contestId.$roundNumber", intent: "GET", params: R2, expect: "302 409 409 409 409 409" },
  // A poster's short link: registration with the branch chosen, or the contest for someone logged in.
  {
    route: "dk.$contestId.$branchCode",
    intent: "GET",
    params: { contestId: "c1", branchCode: "dl-so-tttt" },
    expect: "302 302 302 302 302 302",
  },
  {
    route: "dk.$contestId.$branchCode",
    intent: "GET",
    params: { contestId: "khong-co", branchCode: "dl-so-tttt" },
    expect: "404 404 404 404 404 404",
  },
  // The poster desk and printable posters: organizers and admins (the print page needs ?cdcs= or ?huyen=).
  { route: "to-chuc.ap-phich.$contestId._index", intent: "GET", params: C1, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.ap-phich.$contestId.in", intent: "GET", params: C1, expect: "302 403 404 403 404 403" },
  { route: "to-chuc._index", intent: "GET", expect: "302 403 200 403 200 403" },
  { route: "to-chuc.theo-doi.$contestId.$roundNumber", intent: "GET", params: R2, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.bo-cau-hoi.$bankId", intent: "GET", params: { bankId: "bo-a" }, expect: "302 403 200 403 200 403" },
  {
    route: "to-chuc.bo-cau-hoi.$bankId",
    intent: "check",
    params: { bankId: "bo-a" },
    fields: { markdown: BANK_MD },
    expect: "302 403 200 403 200 403",
  },
  {
    route: "to-chuc.bo-cau-hoi.$bankId",
    intent: "import",
    params: { bankId: "moi" },
    fields: { markdown: BANK_MD.replace("bo-a", "bo-moi") },
    expect: "302 403 302 403 302 403",
  },
  { route: "to-chuc.bo-cau-hoi.$bankId.tai", intent: "GET", params: { bankId: "bo-a" }, expect: "302 403 200 403 200 403" },
  // Word files (issue 14): the bank with its key, like the editor; a round's paper, open or closed,
  // only for the people who run the contest — never a member or a judge (decision 016).
  { route: "to-chuc.bo-cau-hoi.$bankId.tai-docx", intent: "GET", params: { bankId: "bo-a" }, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.cuoc-thi.$contestId.vong.$roundNumber.de-thi", intent: "GET", params: R2, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.cuoc-thi.$contestId.vong.$roundNumber.de-thi", intent: "GET", params: R1, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.cuoc-thi.$contestId", intent: "GET", params: C1, expect: "302 403 200 403 200 403" },
  {
    route: "to-chuc.cuoc-thi.$contestId",
    intent: "settings",
    params: C1,
    fields: {
      title: "Cuộc thi",
      timezone: "Asia/Ho_Chi_Minh",
      timeLimitMinutes: "20",
      questionsPerAttempt: "7",
      attemptsPerRound: "1",
      prediction: "on",
      rulesMarkdown: "",
      prizes: "",
    },
    expect: "302 403 200 403 200 403",
  },
  {
    route: "to-chuc.cuoc-thi.$contestId",
    intent: "embed",
    params: C1,
    fields: { embedOrigins: "https://congdoan.example.vn" },
    expect: "302 403 200 403 200 403",
  },
  { route: "to-chuc.cuoc-thi.$contestId", intent: "add-round", params: C1, fields: { number: "3" }, expect: "302 403 400 403 400 403" },
  {
    route: "to-chuc.cuoc-thi.$contestId",
    intent: "save-round",
    params: C1,
    fields: { number: "2", title: "Vòng 2" },
    expect: "302 403 400 403 400 403",
  },
  { route: "to-chuc.cuoc-thi.$contestId", intent: "remove-round", params: C1, fields: { number: "2" }, expect: "302 403 409 403 409 403" },
  { route: "to-chuc.cuoc-thi.$contestId.tai", intent: "GET", params: C1, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.don-vi", intent: "GET", expect: "302 403 200 403 200 403" },
  { route: "to-chuc.don-vi", intent: "import", fields: { file: UNITS_CSV }, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.don-vi", intent: "preview", fields: { file: UNITS_CSV }, expect: "302 403 200 403 200 403" },
  // A confirmation whose carried rows are not a preview's: refused, whoever may import.
  {
    route: "to-chuc.don-vi",
    intent: "confirm",
    fields: { rows: "[]", fileName: "x.csv", fingerprint: "x" },
    expect: "302 403 400 403 400 403",
  },
  {
    route: "to-chuc.don-vi",
    intent: "rename",
    fields: { branchId: "dl-ubnd", name: "Công đoàn UBND Đà Lạt" },
    expect: "302 403 200 403 200 403",
  },
  { route: "to-chuc.don-vi", intent: "merge", fields: { branchId: "dl-ubnd", intoId: "dl-so-tttt" }, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.nhat-ky", intent: "GET", expect: "302 403 200 200 200 403" },
  { route: "to-chuc.nhat-ky.tai", intent: "GET", expect: "302 403 200 200 200 403" },
  { route: "to-chuc.thanh-vien", intent: "GET", expect: "302 403 200 403 200 403" },
  { route: "to-chuc.thanh-vien", intent: "reset-password", fields: { userId: "@member" }, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.thanh-vien", intent: "deactivate", fields: { userId: "@member" }, expect: "302 403 200 403 200 403" },
  { route: "to-chuc.thanh-vien", intent: "activate", fields: { userId: "@member" }, expect: "302 403 200 403 200 403" },
  {
    route: "to-chuc.thanh-vien",
    intent: "rename",
    fields: { userId: "@member", fullName: "Nguyễn Văn Bình" },
    expect: "302 403 200 403 200 403",
  },
  { route: "to-chuc.thanh-vien", intent: "set-role", fields: { userId: "@member", role: "judge" }, expect: "302 403 403 403 200 403" },
  { route: "to-chuc.thanh-vien", intent: "reset-password", fields: { userId: "@judge" }, expect: "302 403 403 403 200 403" },
  { route: "to-chuc.thanh-vien", intent: "deactivate", fields: { userId: "@judge" }, expect: "302 403 403 403 200 403" },
  { route: "to-chuc.thanh-vien", intent: "deactivate", fields: { userId: "@admin" }, expect: "302 403 403 403 403 403" },
];

/* ---------- the routes and intents, read from the source ---------- */

const ROUTES_DIR = join(import.meta.dirname, "../../app/routes");
const modules = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}", { eager: true });

interface RouteModule {
  loader?: (args: { request: Request; params: Record<string, string>; context: typeof context }) => Promise<unknown>;
  action?: (args: { request: Request; params: Record<string, string>; context: typeof context }) => Promise<unknown>;
}

function routeFiles(): string[] {
  const ignored: string[] = remixConfig.ignoredRouteFiles ?? [];
  return readdirSync(ROUTES_DIR)
    .filter((f) => /\.(tsx?|jsx?)$/.test(f))
    .filter(
      (f) =>
        !ignored.some((pattern) =>
          new RegExp(
            `^${pattern
              .replace(/\./g, "\\.")
              .replace(/\*\*\//g, "")
              .replace(/\*/g, ".*")}$`,
          ).test(f),
        ),
    );
}

function moduleOf(route: string): RouteModule {
  const entry = Object.entries(modules).find(([path]) => path.replace(/^.*\//, "").replace(/\.(tsx?|jsx?)$/, "") === route);
  if (!entry) throw new Error(`no route file ${route}`);
  return entry[1];
}

/** The intents a route's forms post and its action reads: every `intent` literal and form value. */
function intentsIn(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/intent:\s*z\.literal\("([\w-]+)"\)/g)) found.add(m[1]!);
  for (const m of source.matchAll(/intent:\s*z\.enum\(\[([^\]]+)\]\)/g)) for (const v of m[1]!.matchAll(/"([\w-]+)"/g)) found.add(v[1]!);
  for (const m of source.matchAll(/name="intent"[^>]*?value=(?:"([\w-]+)"|\{([^}]+)\})/g)) {
    if (m[1]) found.add(m[1]);
    else for (const v of m[2]!.matchAll(/"([\w-]+)"/g)) found.add(v[1]!);
  }
  for (const m of source.matchAll(/value="([\w-]+)"[^>]*?name="intent"/g)) found.add(m[1]!);
  for (const m of source.matchAll(/get\("intent"\)\s*===\s*"([\w-]+)"/g)) found.add(m[1]!);
  for (const m of source.matchAll(/\bform\.intent\s*===\s*"([\w-]+)"/g)) found.add(m[1]!);
  return [...found].sort();
}

describe("the matrix covers every route and every intent", () => {
  const files = routeFiles();
  it("reads the routes", () => {
    expect(files.length).toBeGreaterThan(20);
    expect(Object.keys(modules)).toHaveLength(files.length);
  });
  for (const file of files) {
    const route = file.replace(/\.(tsx?|jsx?)$/, "");
    it(`${route} has a row for GET and for each action intent`, () => {
      const module = moduleOf(route);
      const rows = ROWS.filter((r) => r.route === route).map((r) => r.intent);
      expect(rows, `add a row for GET ${route}`).toContain("GET");
      if (module.action) {
        const intents = intentsIn(readFileSync(join(ROUTES_DIR, file), "utf8"));
        const expected = intents.length > 0 ? intents : ["POST"];
        for (const intent of expected) expect(rows, `add a row for ${route} intent "${intent}"`).toContain(intent);
      } else {
        expect(
          rows.filter((r) => r !== "GET"),
          `${route} has no action`,
        ).toEqual([]);
      }
    });
  }
  it("has no row for a route that does not exist", () => {
    const names = new Set(files.map((f) => f.replace(/\.(tsx?|jsx?)$/, "")));
    expect(ROWS.map((r) => r.route).filter((r) => !names.has(r))).toEqual([]);
  });
});

/* ---------- the world every cell starts from ---------- */

interface World {
  ids: Record<string, string>;
  cookies: Record<Exclude<Person, "anonymous">, string>;
}

/** Builds the world once in a template file; each cell starts from a copy of it. */
async function buildWorld(db: Db): Promise<World> {
  const round1 = {
    number: 1,
    title: "Vòng 1",
    opensAt: OPENS_AT - 14 * DAY,
    closesAt: OPENS_AT - 7 * DAY,
    quotas: contest().rounds[0]!.quotas,
    line: 1,
  };
  const round2 = { ...contest().rounds[0]!, number: 2, title: "Vòng 2", opensAt: OPENS_AT, closesAt: CLOSES_AT };
  seedContent(db, [contest({ rounds: [round1, round2] })]);
  const ids: Record<string, string> = {};
  const cookies = {} as World["cookies"];
  for (const person of PEOPLE) {
    if (person === "anonymous") continue;
    const role: Role = person === "other" ? "member" : person;
    const id = createUser(db);
    db.update(users).set({ role }).where(eq(users.id, id)).run();
    ids[person] = id;
    cookies[person] = await sessionCookie(db, id);
  }
  ids.memberPhone = db.select({ phone: users.phone }).from(users).where(eq(users.id, ids.member!)).get()!.phone;
  // The member took round 1 (closed now) and is answering round 2.
  const started = OPENS_AT - 13 * DAY;
  const finished = startAttempt(db, { roundId: roundIdOf(db, "c1", 1), userId: ids.member!, now: started });
  submitAttempt(db, { attemptId: finished.attemptId, userId: ids.member!, now: started + 60_000, prediction: 3, confirmUnanswered: true });
  ids.finished = finished.attemptId;
  ids.open = startAttempt(db, { roundId: roundIdOf(db, "c1", 2), userId: ids.member!, now: NOW - 60_000 }).attemptId;
  ids.option = String(storedItems(db, ids.open)[0]!.optionOrder[0]);
  // The scheduled job has stored round 1's results (pages never do: decision 013).
  freezeClosedRounds(db, NOW);
  return { ids, cookies };
}

function resolve(value: string, ids: Record<string, string>): string {
  return value.startsWith("@") ? (ids[value.slice(1)] ?? value) : value;
}

function pathOf(route: string, params: Record<string, string>): string {
  const segments = route
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => (s === "$" ? (params["*"] ?? "") : s.startsWith("$") ? (params[s.slice(1)] ?? "") : s));
  return `/${segments.join("/")}`;
}

function requestFor(row: Row, ids: Record<string, string>, cookie: string | undefined): Request {
  const params = Object.fromEntries(Object.entries(row.params ?? {}).map(([k, v]) => [k, resolve(v, ids)]));
  const path = pathOf(row.route, params);
  if (row.intent === "GET") return getRequest(path, { cookie });
  const fields = Object.entries(row.fields ?? {}).map(([k, v]): [string, string] => [k, resolve(v, ids)]);
  if (row.intent !== "POST") fields.unshift(["intent", row.intent]);
  if (!fields.some(([k]) => k === "file")) return postRequest(path, fields, { cookie });
  const body = new FormData();
  for (const [k, v] of fields) body.append(k, k === "file" ? new File([v], "don-vi.csv", { type: "text/csv" }) : v);
  const headers: Record<string, string> = { Origin: ORIGIN };
  if (cookie) headers.Cookie = cookie;
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers, body });
}

async function statusOf(row: Row, person: Person, world: World): Promise<number> {
  const module = moduleOf(row.route);
  const handler = row.intent === "GET" ? module.loader : module.action;
  // What Remix answers by itself when the route has no handler for the method.
  if (!handler) return row.intent === "GET" ? 400 : 405;
  const cookie = person === "anonymous" ? undefined : world.cookies[person];
  const params = Object.fromEntries(Object.entries(row.params ?? {}).map(([k, v]) => [k, resolve(v, world.ids)]));
  try {
    const result = await call(() => handler({ request: requestFor(row, world.ids, cookie), params, context }));
    return result.status;
  } catch {
    return 500;
  }
}

/* ---------- every cell ---------- */

/** Registration and temporary passwords hash with argon2, slow on purpose (and slower on a busy machine). */
const ARGON2_TIMEOUT = 30_000;

describe("route × person × intent", () => {
  let world: World;
  const template = join(tmpdir(), `cuocthi-matrix-${process.pid}-${randomUUID()}.sqlite`);
  beforeAll(async () => {
    const db = openDatabase(template);
    world = await buildWorld(db);
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    db.$client.close();
  });
  afterAll(() => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(template + suffix, { force: true });
  });
  const cellPath = `${template}.cell`;
  beforeEach(() => {
    // A fresh copy of the world for every cell: what one person's act changes, the next never sees.
    copyFileSync(template, cellPath);
    cellDb = openDatabase(cellPath);
    globalThis.__cuocthiDb = cellDb;
    setClock(() => NOW);
  });
  afterEach(() => {
    setClock(undefined);
    globalThis.__cuocthiDb = undefined;
    cellDb?.$client.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(cellPath + suffix, { force: true });
  });
  for (const row of ROWS) {
    const expected = row.expect.trim().split(/\s+/).map(Number);
    it(`the row for ${row.route} ${row.intent} has a status for each of the six people`, () => {
      expect(expected).toHaveLength(PEOPLE.length);
    });
    PEOPLE.forEach((person, i) => {
      it(
        `${row.intent} ${row.route} ${JSON.stringify(row.fields ?? {}).slice(0, 40)} as ${person} → ${expected[i]}`,
        async () => {
          const changes = () => (cellDb!.$client.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
          const before = changes();
          expect(await statusOf(row, person, world)).toBe(expected[i]);
          if (row.intent === "GET") expect(changes(), "a page load (GET loader) wrote to the database").toBe(before);
        },
        ARGON2_TIMEOUT,
      );
    });
  }
});
