/**
 * The box as it really runs (issue 13, section 4): Debian's Caddy in front of the production
 * server, configured as the README says (`reverse_proxy 127.0.0.1:<port>`, the app with
 * TRUST_PROXY=loopback), HTTP only, on loopback. Clients connect from two different loopback
 * addresses (127.0.0.2 and 127.0.0.3), so "the address the app sees" can be told apart from
 * Caddy's own (127.0.0.1):
 * - the app's request log names the real client, even when the client sends its own
 *   X-Forwarded-For;
 * - the per-address login limit holds through the proxy: a spoofed, changing X-Forwarded-For does
 *   not escape it, and another client is not caught by it.
 * - /metrics is read by the address METRICS_ALLOW names, judged by that real address too.
 * Fails (does not skip) when Caddy is missing: CI installs it with apt (.ci/run).
 */
import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { caddyMissing, findCaddy } from "./find-caddy.mjs";
import { freePort, phoneOf, rawRequest, seedDatabase, startServer, stopServer, until, type Server } from "./ops-server";

const dir = join(import.meta.dirname, ".tmp", `ops-caddy-${process.pid}`);
let app: Server | null = null;
let caddy: ChildProcess | null = null;
let caddyPort = 0;
let caddyLog = "";

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  const caddyPath = findCaddy();
  if (!caddyPath) throw new Error(caddyMissing);
  const databasePath = await seedDatabase(dir, 2);
  app = await startServer(databasePath, { WEB_CONCURRENCY: "1", TRUST_PROXY: "loopback", METRICS_ALLOW: "127.0.0.3" });
  caddyPort = await freePort();
  // The README's Caddyfile, on plain HTTP and loopback (no certificates in a test).
  const caddyfile = join(dir, "Caddyfile");
  writeFileSync(
    caddyfile,
    `{\n\tadmin off\n\tauto_https off\n}\n\nhttp://127.0.0.1:${caddyPort} {\n\treverse_proxy 127.0.0.1:${app.port}\n}\n`,
  );
  const home = join(dir, "caddy-home");
  mkdirSync(home, { recursive: true });
  const proxy = spawn(caddyPath, ["run", "--config", caddyfile, "--adapter", "caddyfile"], {
    env: { PATH: process.env.PATH ?? "", HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  caddy = proxy;
  proxy.stdout!.on("data", (c: Buffer) => (caddyLog += c.toString()));
  proxy.stderr!.on("data", (c: Buffer) => (caddyLog += c.toString()));
  await until(
    async () => (await send("127.0.0.2", "GET", "/healthz").catch(() => null))?.status === 200,
    15_000,
    `Caddy answers\n${caddyLog}`,
  );
});

test.afterAll(async () => {
  if (caddy && caddy.exitCode === null) {
    const exited = new Promise((r) => caddy!.once("exit", r));
    caddy.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  await stopServer(app);
  rmSync(dir, { recursive: true, force: true });
});

/** One request to Caddy from the given loopback address (the "client's address"). */
function send(from: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return rawRequest({ port: caddyPort, method, path, headers, body, from });
}

/** The address in the app's request log line for the request that carried this id. */
async function addressSeenFor(requestId: string): Promise<unknown> {
  await until(() => app!.lines.some((l) => l.reqId === requestId), 5_000, `the app logged request ${requestId}`);
  return app!.lines.find((l) => l.reqId === requestId)!.ip;
}

test("the app sees the real client's address through Caddy, whatever X-Forwarded-For the client sends", async () => {
  await send("127.0.0.2", "GET", "/healthz", { "X-Request-Id": "caddy-plain" });
  await send("127.0.0.3", "GET", "/healthz", { "X-Request-Id": "caddy-other" });
  await send("127.0.0.2", "GET", "/healthz", { "X-Request-Id": "caddy-spoofed", "X-Forwarded-For": "203.0.113.7" });
  await send("127.0.0.2", "GET", "/healthz", { "X-Request-Id": "caddy-spoofed-list", "X-Forwarded-For": "203.0.113.7, 198.51.100.1" });
  expect(await addressSeenFor("caddy-plain")).toBe("127.0.0.2");
  expect(await addressSeenFor("caddy-other")).toBe("127.0.0.3");
  expect(await addressSeenFor("caddy-spoofed")).toBe("127.0.0.2");
  expect(await addressSeenFor("caddy-spoofed-list")).toBe("127.0.0.2");
});

test("the per-address login limit holds through Caddy: a spoofed X-Forwarded-For does not escape it", async () => {
  const origin = `http://127.0.0.1:${caddyPort}`;
  const login = (from: string, spoof: string) =>
    send(
      from,
      "POST",
      "/dang-nhap",
      { Origin: origin, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": spoof },
      new URLSearchParams({ phone: phoneOf(0), password: "khong-dung-mat-khau" }).toString(),
    );
  // Ten wrong passwords for one number from one address, each claiming another address.
  for (let i = 0; i < 10; i++) expect((await login("127.0.0.2", `198.51.100.${i + 1}`)).status, `failure ${i + 1}`).toBe(400);
  const blocked = await login("127.0.0.2", "198.51.100.200");
  expect(blocked.status, "the eleventh from the same real address is limited").toBe(429);
  // Another real client, same number: counted under its own address, not limited.
  expect((await login("127.0.0.3", "198.51.100.1")).status).toBe(400);
});

test("/metrics through Caddy: open to the address METRICS_ALLOW names, not to another client", async () => {
  const allowed = await send("127.0.0.3", "GET", "/metrics");
  expect(allowed.status).toBe(200);
  expect(allowed.body).toContain("# TYPE cuocthi_http_request_duration_seconds histogram");
  expect(allowed.body).toContain('route="/healthz"');
  expect(allowed.body).toContain("nodejs_eventloop_lag_p99_seconds");
  expect(allowed.body).toMatch(/^cuocthi_attempts_in_progress \d+$/m);
  // No backup yet: as old as 1970, so an alert on the age fires.
  expect(Number(/^cuocthi_backup_age_seconds (\d+)$/m.exec(allowed.body)?.[1])).toBeGreaterThan(50 * 365 * 86400);
  // Another client, even claiming the allowed address: sent to the login page (admins only).
  const other = await send("127.0.0.2", "GET", "/metrics", { "X-Forwarded-For": "127.0.0.3" });
  expect(other.status).toBe(302);
  expect(other.body).not.toContain("cuocthi_");
});
