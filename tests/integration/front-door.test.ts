/**
 * The production server's front door (app/.server/front-door.server.ts, mounted first by
 * app/.server/serve.mjs), served by Express on a free port and called over HTTP: cross-site posts,
 * oversized, non-form and broken bodies get a 4xx page in Vietnamese and one log line; a good form
 * goes through with its body intact. And TRUST_PROXY: no proxy is trusted unless configured.
 */
import express from "express";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnv, trustProxySetting } from "~/.server/env.server";
import { FORM_BODY_LIMIT, frontDoor, UPLOAD_BODY_LIMIT } from "~/.server/front-door.server";
import { accountsText } from "~/i18n/accounts.vi";
import { listenOnLoopback } from "../helpers/loopback";

let base = "";
let close: () => Promise<void>;
let warn: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  const app = express();
  app.use(frontDoor());
  // Stands for Remix: answers with what it received.
  app.all("*", (req, res) => {
    const body: Buffer | undefined = res.locals.body;
    res.json({ method: req.method, bytes: body?.length ?? null, text: body && body.length < 200 ? body.toString("utf8") : null });
  });
  ({ base, close } = await listenOnLoopback(app));
});
afterAll(() => close());

beforeEach(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

const host = () => new URL(base).host;
const sameSite = () => ({ Origin: base, "Content-Type": "application/x-www-form-urlencoded" });

async function expectRefusal(response: Response, status: number, message: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("Content-Type")).toMatch(/^text\/html; charset=utf-8/);
  const html = await response.text();
  expect(html).toContain('<html lang="vi">');
  expect(html).toContain(message.replace(/&/g, "&amp;"));
  expect(html).not.toMatch(/at \w+ \(|Error:/);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]![0])).toMatch(new RegExp(`^\\[cuocthi\\] ${status} `));
}

describe("cross-site posts", () => {
  it.each([
    ["another site", "https://evil.example"],
    ["another port", "http://127.0.0.1:1"],
    ["an opaque origin", "null"],
    ["an unreadable origin", "http://["],
  ])("from %s get 403 with a Vietnamese page", async (_label, origin) => {
    const response = await fetch(`${base}/dang-nhap`, {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: "phone=1&password=2",
    });
    await expectRefusal(response, 403, accountsText.frontDoor.crossSite);
  });

  it("a same-site post goes through with its body", async () => {
    const response = await fetch(`${base}/dang-nhap`, { method: "POST", headers: sameSite(), body: "phone=0912&password=x" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: "POST", text: "phone=0912&password=x" });
    expect(warn).not.toHaveBeenCalled();
  });

  it("reads the host as Remix does, from X-Forwarded-Host first", async () => {
    const response = await fetch(`${base}/dang-nhap`, {
      method: "POST",
      headers: {
        Origin: "https://cuocthi.example",
        "X-Forwarded-Host": "cuocthi.example",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "a=1",
    });
    expect(response.status).toBe(200);
    expect(host()).not.toBe("cuocthi.example");
  });
});

describe("body caps", () => {
  it("a form body over 1 MB gets 413 from its Content-Length, before it is read", async () => {
    const response = await fetch(`${base}/dang-nhap`, { method: "POST", headers: sameSite(), body: "a=" + "x".repeat(FORM_BODY_LIMIT) });
    await expectRefusal(response, 413, accountsText.frontDoor.tooLarge(1));
  });

  it("a chunked body is counted as it arrives and refused past the cap", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > FORM_BODY_LIMIT * 3) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${base}/dang-ky`, { method: "POST", headers: sameSite(), body: stream, duplex: "half" } as RequestInit);
    await expectRefusal(response, 413, accountsText.frontDoor.tooLarge(1));
  });

  it("an upload page takes up to 2 MB, and refuses more", async () => {
    const form = (size: number) => {
      const body = new FormData();
      body.set("file", new File(["x".repeat(size)], "bo.md", { type: "text/markdown" }));
      return body;
    };
    const ok = await fetch(`${base}/to-chuc/bo-cau-hoi/moi`, { method: "POST", headers: { Origin: base }, body: form(1.5 * 1024 * 1024) });
    expect(ok.status).toBe(200);
    expect((await ok.json()).bytes).toBeGreaterThan(1.5 * 1024 * 1024);
    const units = await fetch(`${base}/to-chuc/don-vi`, { method: "POST", headers: { Origin: base }, body: form(1.5 * 1024 * 1024) });
    expect(units.status).toBe(200);
    const big = await fetch(`${base}/to-chuc/bo-cau-hoi/moi`, { method: "POST", headers: { Origin: base }, body: form(UPLOAD_BODY_LIMIT) });
    await expectRefusal(big, 413, accountsText.frontDoor.tooLarge(2));
  });

  it("the same 1.5 MB file to a page that takes no upload is refused", async () => {
    const body = new FormData();
    body.set("file", new File(["x".repeat(1.5 * 1024 * 1024)], "x.md"));
    const response = await fetch(`${base}/dang-ky`, { method: "POST", headers: { Origin: base }, body });
    await expectRefusal(response, 413, accountsText.frontDoor.tooLarge(1));
  });
});

describe("bodies that are not forms", () => {
  it("JSON gets 415", async () => {
    const response = await fetch(`${base}/dang-nhap`, {
      method: "POST",
      headers: { Origin: base, "Content-Type": "application/json" },
      body: '{"phone":"1"}',
    });
    await expectRefusal(response, 415, accountsText.frontDoor.unsupportedType);
  });

  it("a broken multipart body gets 400", async () => {
    const response = await fetch(`${base}/to-chuc/don-vi`, {
      method: "POST",
      headers: { Origin: base, "Content-Type": "multipart/form-data; boundary=xyz" },
      body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nkhông có ranh giới đóng',
    });
    await expectRefusal(response, 400, accountsText.frontDoor.badBody);
  });

  it("an empty post (logging out) goes through", async () => {
    const response = await fetch(`${base}/dang-xuat`, { method: "POST", headers: { Origin: base } });
    expect(response.status).toBe(200);
  });

  it("GET requests are not checked", async () => {
    const response = await fetch(`${base}/`, { headers: { Origin: "https://evil.example" } });
    expect(response.status).toBe(200);
  });
});

describe("TRUST_PROXY", () => {
  async function clientIpSeen(setting: ReturnType<typeof trustProxySetting>) {
    const app = express();
    app.set("trust proxy", setting);
    app.get("/", (req, res) => res.send(req.ip));
    const server = await listenOnLoopback(app);
    try {
      const response = await fetch(`${server.base}/`, { headers: { "X-Forwarded-For": "203.0.113.7" } });
      return await response.text();
    } finally {
      await server.close();
    }
  }

  afterEach(() => {
    delete process.env.TRUST_PROXY;
    resetEnv();
  });

  it("unset: no proxy is trusted, even on the same machine; X-Forwarded-For is ignored", async () => {
    delete process.env.TRUST_PROXY;
    resetEnv();
    expect(trustProxySetting()).toBe(false);
    expect(await clientIpSeen(trustProxySetting())).toMatch(/127\.0\.0\.1$/);
  });

  it("configured: the proxy's X-Forwarded-For gives the client's address", async () => {
    process.env.TRUST_PROXY = "loopback";
    resetEnv();
    expect(await clientIpSeen(trustProxySetting())).toBe("203.0.113.7");
    expect(trustProxySetting("1")).toBe(1);
    expect(trustProxySetting("false")).toBe(false);
    expect(() => trustProxySetting("true")).toThrow(/TRUST_PROXY/);
  });
});
