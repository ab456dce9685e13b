/**
 * /healthz probes the write at most once a second (storage-health.server.ts `databaseHealth`,
 * decision 013, third pass): requests in between reuse the probe's result, a failure the probe
 * finds shows within PROBE_INTERVAL_MS, and a request whose own write failed turns it 503 at once.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetStorageFailures, noteStorageFailure, PROBE_INTERVAL_MS } from "~/.server/storage-health.server";
import * as healthz from "~/routes/healthz";
import { useTestDatabase } from "./helpers";

const ctx = useTestDatabase();
afterEach(() => forgetStorageFailures());

async function health() {
  const response = await healthz.loader();
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Counts the probe's writes (`pragma user_version = n`) on this test's connection. */
function countProbeWrites() {
  const pragma = vi.spyOn(ctx.db.$client, "pragma");
  return () => pragma.mock.calls.filter(([source]) => /^user_version\s*=/.test(String(source))).length;
}

describe("/healthz's write probe", () => {
  it("writes once per interval however many requests ask, and again once the interval is over", async () => {
    const writes = countProbeWrites();
    for (let i = 0; i < 50; i++) expect((await health()).status).toBe(200);
    expect(writes()).toBe(1);
    ctx.now += PROBE_INTERVAL_MS - 1;
    expect((await health()).status).toBe(200);
    expect(writes()).toBe(1);
    ctx.now += 1;
    expect((await health()).status).toBe(200);
    expect(writes()).toBe(2);
  });

  it("a database that stops taking writes is 503 by the next probe, at most an interval later", async () => {
    expect((await health()).status).toBe(200);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    ctx.db.$client.pragma("query_only = 1");
    try {
      ctx.now += PROBE_INTERVAL_MS / 2;
      expect((await health()).status).toBe(200); // the last probe's result, half an interval old
      ctx.now += PROBE_INTERVAL_MS / 2;
      expect(await health()).toMatchObject({ status: 503, body: { database: "not-writable", error: "SQLITE_READONLY" } });
    } finally {
      ctx.db.$client.pragma("query_only = 0");
    }
    expect(errors.mock.calls).toHaveLength(1);
    errors.mockClear();
  });

  it("a request's failed write turns it 503 at once, without waiting for the probe", async () => {
    expect((await health()).status).toBe(200);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    noteStorageFailure(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }));
    expect(await health()).toMatchObject({ status: 503, body: { error: "SQLITE_FULL" } });
    expect(errors.mock.calls).toHaveLength(1);
    errors.mockClear();
  });
});
