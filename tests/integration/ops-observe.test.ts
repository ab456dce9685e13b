/**
 * What the operator watches (issue 13, section 4): who may read /metrics (METRICS_ALLOW or an
 * admin), what the metrics say (attempts in progress, SQLite errors by code, the newest backup's
 * age), and the route a request is counted under. The whole chain through the production server
 * and Caddy is tests/e2e/ops-caddy.spec.ts; draining and the cluster's sum, ops-drain.spec.ts.
 */
import { mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  countSqliteError,
  metricsAllowList,
  metricsAllowProblem,
  metricsText,
  newestBackupAgeSeconds,
  requireMetricsReader,
} from "~/.server/metrics.server";
import { routeOf, routePatterns } from "~/.server/observe.server";
import { startAttempt } from "~/.server/attempts.server";
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { createUser, getRequest, roundIdOf, seedContent, sessionCookie, useTestDatabase, NOW } from "./helpers";

describe("METRICS_ALLOW", () => {
  it("defaults to this machine (IPv4, IPv6 and IPv4-mapped loopback)", () => {
    const allow = metricsAllowList(undefined);
    if (!("allows" in allow)) throw new Error("default refused");
    for (const ip of ["127.0.0.1", "127.0.0.3", "::1", "::ffff:127.0.0.1"]) expect(allow.allows(ip), ip).toBe(true);
    for (const ip of ["10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1", "unknown", ""]) expect(allow.allows(ip), ip).toBe(false);
  });

  it("takes addresses, subnets and names, comma-separated", () => {
    const allow = metricsAllowList("10.1.0.0/16, 192.0.2.7, 2001:db8::/32, uniquelocal");
    if (!("allows" in allow)) throw new Error("refused");
    expect(allow.allows("10.1.200.3")).toBe(true);
    expect(allow.allows("192.0.2.7")).toBe(true);
    expect(allow.allows("192.0.2.8")).toBe(false);
    expect(allow.allows("2001:db8:5::9")).toBe(true);
    expect(allow.allows("192.168.1.1")).toBe(true); // uniquelocal
    expect(allow.allows("127.0.0.1")).toBe(false); // not listed: loopback is only the default
  });

  it("refuses what is not an address, a subnet or a known name, naming it in Vietnamese", () => {
    expect(metricsAllowList("10.0.0.0/40")).toEqual({ invalid: "10.0.0.0/40" });
    expect(metricsAllowList("loopback, prometheus.local")).toEqual({ invalid: "prometheus.local" });
    expect(metricsAllowProblem("abc")).toMatch(/^METRICS_ALLOW không hợp lệ ở "abc"/);
    expect(metricsAllowProblem("loopback")).toBeNull();
  });
});

describe("who may read /metrics", () => {
  const ctx = useTestDatabase();
  afterEach(() => {
    delete process.env.METRICS_ALLOW;
  });

  it("an allowed address without logging in; elsewhere only an admin", async () => {
    seedContent(ctx.db);
    process.env.METRICS_ALLOW = "10.9.0.0/16";
    await expect(requireMetricsReader(getRequest("/metrics"), "10.9.3.4")).resolves.toBeUndefined();
    const anonymous = await requireMetricsReader(getRequest("/metrics"), "10.8.3.4").catch((r: unknown) => r);
    expect((anonymous as Response).status).toBe(302);
    const member = createUser(ctx.db);
    const refused = await requireMetricsReader(getRequest("/metrics", { cookie: await sessionCookie(ctx.db, member) }), "10.8.3.4").catch(
      (r: unknown) => r,
    );
    expect((refused as Response).status).toBe(403);
    const admin = createUser(ctx.db);
    ctx.db.update(users).set({ role: "admin" }).where(eq(users.id, admin)).run();
    await expect(
      requireMetricsReader(getRequest("/metrics", { cookie: await sessionCookie(ctx.db, admin) }), "10.8.3.4"),
    ).resolves.toBeUndefined();
  });

  it("says how many attempts are in progress and counts SQLite errors by code", async () => {
    seedContent(ctx.db);
    const roundId = roundIdOf(ctx.db, "c1", 1);
    for (let i = 0; i < 3; i++) startAttempt(ctx.db, { userId: createUser(ctx.db), roundId, now: NOW });
    countSqliteError(
      Object.assign(new Error("wrapped"), { cause: Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }) }),
    );
    countSqliteError(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }));
    expect(countSqliteError(new Error("not sqlite"))).toBeNull();
    const text = await metricsText();
    expect(text).toMatch(/^cuocthi_attempts_in_progress 3$/m);
    expect(text).toMatch(/^cuocthi_sqlite_errors_total\{code="SQLITE_FULL"\} [1-9]\d*$/m);
    expect(text).toMatch(/^cuocthi_sqlite_errors_total\{code="SQLITE_BUSY"\} [1-9]\d*$/m);
    expect(text).toContain("# TYPE nodejs_eventloop_lag_p99_seconds gauge");
  });
});

describe("the newest backup's age", () => {
  const dir = join(tmpdir(), `cuocthi-backups-${randomUUID()}`);
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is the newest cuocthi-*.sqlite's age; with none, as old as 1970 (finite: it crosses the cluster as JSON)", () => {
    const at = Date.UTC(2026, 11, 3, 12, 0, 0);
    expect(newestBackupAgeSeconds(dir, at)).toBe(at / 1000);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "notes.txt"), "");
    expect(newestBackupAgeSeconds(dir, at)).toBe(at / 1000);
    for (const [name, hoursAgo] of [
      ["cuocthi-a.sqlite", 30],
      ["cuocthi-b.sqlite", 5],
      ["cuocthi-c.sqlite.partial", 0],
    ] as const) {
      writeFileSync(join(dir, name), "");
      const t = (at - hoursAgo * 3600_000) / 1000;
      utimesSync(join(dir, name), t, t);
    }
    expect(newestBackupAgeSeconds(dir, at)).toBe(5 * 3600);
  });
});

describe("the route a request is counted under", () => {
  // The shape of Remix's build.routes (ids, parents, paths), for the routes that matter here.
  const routes = {
    root: { id: "root", path: "" },
    "routes/_index": { id: "routes/_index", parentId: "root", index: true },
    "routes/$": { id: "routes/$", parentId: "root", path: "*" },
    "routes/healthz": { id: "routes/healthz", parentId: "root", path: "healthz" },
    "routes/bai-thi.$attemptId._index": { id: "routes/bai-thi.$attemptId._index", parentId: "root", path: "bai-thi/:attemptId" },
    "routes/bai-thi.$attemptId.tra-loi": { id: "routes/bai-thi.$attemptId.tra-loi", parentId: "root", path: "bai-thi/:attemptId/tra-loi" },
    "routes/cuoc-thi.$contestId.vong.$roundNumber": {
      id: "routes/cuoc-thi.$contestId.vong.$roundNumber",
      parentId: "root",
      path: "cuoc-thi/:contestId/vong/:roundNumber",
    },
  };
  const patterns = routePatterns(routes);

  it("is the route's pattern, never the raw path (one series per route)", () => {
    expect(routeOf(patterns, "/bai-thi/2f1c/tra-loi")).toBe("/bai-thi/:attemptId/tra-loi");
    expect(routeOf(patterns, "/bai-thi/2f1c")).toBe("/bai-thi/:attemptId");
    expect(routeOf(patterns, "/bai-thi/2f1c.data")).toBe("/bai-thi/:attemptId");
    expect(routeOf(patterns, "/cuoc-thi/x/vong/2")).toBe("/cuoc-thi/:contestId/vong/:roundNumber");
    expect(routeOf(patterns, "/healthz")).toBe("/healthz");
    expect(routeOf(patterns, "/")).toBe("/");
    expect(routeOf(patterns, "/_root.data")).toBe("/");
    expect(routeOf(patterns, "/khong/co/trang/nay")).toBe("/*");
    expect(routeOf(patterns, "/assets/entry-abc.js")).toBe("/assets");
  });
});
