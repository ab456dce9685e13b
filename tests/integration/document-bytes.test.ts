/**
 * How a document leaves the server (decision 022, "Bytes: compression, streams and the render"),
 * over HTTP as app/.server/serve.mjs wires it: Express with compression, a real Remix request
 * handler with this repository's entry.server, and `writeBody`. A page whose data is all there is
 * rendered whole and sent as one buffer with its length (compressed in one go for a browser that
 * accepts it); a page with data still coming streams its shell first.
 */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { createElement, Suspense } from "react";
import { createRequestHandler } from "@remix-run/node";
import { Await, isRouteErrorResponse, Meta, Outlet, Scripts, useLoaderData, useRouteError } from "@remix-run/react";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as entryServer from "~/entry.server";
import { testServerBuild } from "../helpers/remix-build";

let base = "";
let close: () => Promise<void>;

/** Text with a diacritic in almost every word: React 18 pads a 2 KB chunk that splits one with NULs. */
const LINE = "Câu hỏi về Nghị quyết Đại hội: đáp án đúng là gì? Chọn một phương án trả lời. ";
const WHOLE_TEXT = Array.from({ length: 120 }, (_, i) => `${i}. ${LINE}`);

/** The slow page's data arrives when a test says so (`release`), once its loader has run (`loaded`). */
let release: (value: string) => void = () => {};
let loaderRan: () => void = () => {};
let loaded = new Promise<void>((resolve) => (loaderRan = resolve));
function expectSlowLoader() {
  loaded = new Promise<void>((resolve) => (loaderRan = resolve));
}

const page = (content: ReturnType<typeof createElement>) =>
  createElement(
    "html",
    { lang: "vi" },
    createElement("head", null, createElement(Meta)),
    createElement("body", null, content, createElement(Scripts)),
  );
const root = {
  default: () => page(createElement(Outlet)),
  ErrorBoundary: function Failed() {
    const error = useRouteError();
    return page(createElement("p", null, `Lỗi ${isRouteErrorResponse(error) ? error.status : 500}`));
  },
};
const wholeRoute = {
  loader: () => ({ lines: WHOLE_TEXT }),
  default: function Whole() {
    const { lines } = useLoaderData<{ lines: string[] }>();
    return createElement(
      "main",
      null,
      lines.map((line) => createElement("p", { key: line, className: "mb-3 break-words text-base font-semibold leading-snug" }, line)),
    );
  },
};
const slowRoute = {
  loader: () => {
    const later = new Promise<string>((resolve) => (release = resolve));
    loaderRan();
    return { later };
  },
  default: function Slow() {
    const { later } = useLoaderData<{ later: Promise<string> }>();
    return createElement(
      "main",
      null,
      createElement("h1", null, "Phần đầu trang"),
      createElement(
        Suspense,
        { fallback: createElement("p", null, "Đang tải…") },
        createElement(Await, { resolve: later, children: (value: unknown) => createElement("p", { id: "later" }, String(value)) }),
      ),
    );
  },
};
const missingRoute = {
  loader: () => {
    throw new Response("Không tìm thấy", { status: 404 });
  },
  default: () => createElement("main", null, "—"),
};
const build = testServerBuild([
  { id: "root", path: "", module: root, hasErrorBoundary: true },
  { id: "whole", parentId: "root", path: "whole", module: wholeRoute },
  { id: "slow", parentId: "root", path: "slow", module: slowRoute },
  { id: "missing", parentId: "root", path: "missing", module: missingRoute },
]);

beforeAll(async () => {
  const handle = createRequestHandler(build, "production");
  const app = express();
  app.disable("x-powered-by");
  app.use(compression({ threshold: 1024 }));
  // As serve.mjs: status and headers from Remix's Response, then its body through writeBody.
  app.all("*", async (req, res, next) => {
    try {
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
      const response = await handle(new Request(`http://${req.headers.host}${req.originalUrl}`, { method: req.method, headers }), {
        clientIp: "10.0.0.1",
      });
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      await entryServer.writeBody(response, res);
    } catch (error) {
      next(error);
    }
  });
  const server = createServer(app).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

interface Received {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as it arrived, each `data` event's bytes. */
  chunks: Buffer[];
  body: Buffer;
}

/** The exact bytes (fetch() would decompress); `onChunk` sees each piece as it arrives. */
function get(path: string, headers: Record<string, string> = {}, method = "GET", onChunk?: (chunk: Buffer) => void) {
  return new Promise<Received>((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { "Accept-Encoding": "identity", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        onChunk?.(chunk);
      });
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, chunks, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a page whose data is all there", () => {
  it("is sent whole, with its length, every line of it and no NUL byte", async () => {
    const page = await get("/whole");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["transfer-encoding"]).toBeUndefined();
    expect(page.headers["content-length"]).toBe(String(page.body.length));
    const html = page.body.toString("utf8");
    expect(page.body.length).toBeGreaterThan(8 * 2048);
    expect(html).not.toContain("\u0000");
    for (const line of WHOLE_TEXT) expect(html).toContain(line);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    // Complete: the document and the hydration data's stream, closed (its script follows </html>).
    expect(html).toContain("</body></html>");
    expect(html).toContain("window.__remixContext.streamController.close()");
    // The security headers and the nonce on the page's own scripts, as for a streamed page.
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    const nonces = new Set([...html.matchAll(/<script nonce="([^"]+)"/g)].map((m) => m[1]));
    expect(nonces.size).toBe(1);
    expect([...nonces][0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("goes compressed to a browser that accepts it, brotli else gzip, the same bytes once decoded", async () => {
    const plain = (await get("/whole")).body.toString("utf8");
    // The nonce differs per response: compare the pages without it.
    const same = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');
    const br = await get("/whole", { "Accept-Encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toContain("Accept-Encoding");
    expect(br.headers["content-length"]).toBe(String(br.body.length));
    expect(br.body.length).toBeLessThan(plain.length / 5);
    expect(same(brotliDecompressSync(br.body).toString("utf8"))).toBe(same(plain));
    const gzip = await get("/whole", { "Accept-Encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.body.length).toBeLessThan(plain.length / 5);
    expect(same(gunzipSync(gzip.body).toString("utf8"))).toBe(same(plain));
    // Compressed in one go: no bigger than the whole page gzipped at once (flushed every 2 KB, as
    // when it was streamed, it was twice that).
    expect(gzip.body.length).toBeLessThanOrEqual(gzipSync(plain).length + 32);
  });

  it("follows the browser's weights, and leaves deflate-only and identity to compression", async () => {
    const plain = (await get("/whole")).body.toString("utf8");
    const same = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');
    const gzipPreferred = await get("/whole", { "Accept-Encoding": "br;q=0.5, gzip" });
    expect(gzipPreferred.headers["content-encoding"]).toBe("gzip");
    expect(gzipPreferred.headers.vary).toBe("Accept-Encoding");
    expect(gzipPreferred.headers["content-length"]).toBe(String(gzipPreferred.body.length));
    expect(same(gunzipSync(gzipPreferred.body).toString("utf8"))).toBe(same(plain));
    const anything = await get("/whole", { "Accept-Encoding": "*" });
    expect(anything.headers["content-encoding"]).toBe("br");
    const deflate = await get("/whole", { "Accept-Encoding": "deflate" });
    expect(deflate.headers["content-encoding"]).toBe("deflate");
    expect(same(inflateSync(deflate.body).toString("utf8"))).toBe(same(plain));
    const refused = await get("/whole", { "Accept-Encoding": "br;q=0, gzip;q=0" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(refused.headers.vary).toBe("Accept-Encoding");
    expect(same(refused.body.toString("utf8"))).toBe(same(plain));
  });

  it("keeps the status of an error page (a loader's 404), sent whole too", async () => {
    const page = await get("/missing", { "Accept-Encoding": "gzip, deflate, br" });
    expect(page.status).toBe(404);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-length"]).toBe(String(page.body.length));
    const html = (page.headers["content-encoding"] === "br" ? brotliDecompressSync(page.body) : page.body).toString("utf8");
    expect(html).toContain("Lỗi 404");
  });

  it("answers HEAD with the headers and no body", async () => {
    const head = await get("/whole", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(head.body).toHaveLength(0);
  });
});

describe("a page with data still coming", () => {
  it("streams its shell first, then the data when it arrives", async () => {
    let shellSeen: () => void = () => {};
    const shell = new Promise<void>((resolve) => (shellSeen = resolve));
    let received = "";
    const answer = get("/slow", { "Accept-Encoding": "gzip, deflate, br" }, "GET", (chunk) => {
      received += chunk.toString("latin1");
      shellSeen();
    });
    // Uncompressed here would be the same stream; compressed, each flush of the shell reaches us.
    await shell;
    release("Dữ liệu đến sau");
    const page = await answer;
    expect(page.status).toBe(200);
    expect(page.headers["content-length"]).toBeUndefined();
    expect(page.headers["content-encoding"]).toBe("br");
    expect(page.chunks.length).toBeGreaterThan(1);
    expect(received.length).toBeGreaterThan(0);
    const html = brotliDecompressSync(page.body).toString("utf8");
    expect(html).toContain("Phần đầu trang");
    expect(html).toContain("Dữ liệu đến sau");
  });

  it("is rendered whole for a bot, which waits for the data", async () => {
    expectSlowLoader();
    const answer = get("/slow", { "User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" });
    await loaded;
    release("Cho máy tìm kiếm");
    const page = await answer;
    expect(page.headers["content-length"]).toBe(String(page.body.length));
    expect(page.body.toString("utf8")).toContain("Cho máy tìm kiếm");
  });
});
