/**
 * How a response leaves for the socket (app/.server/serve.mjs): a document rendered whole
 * (app/entry.server.tsx) goes in one `end` with its length, compressed here in one call when the
 * browser takes brotli or gzip; a streamed document goes chunk by chunk, each flushed through
 * Express's compression as it comes; JSON goes whole with its length. Decision 022, "Bytes:
 * compression, streams and the render".
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { writeReadableStreamToWritable } from "@remix-run/node";

/** As serve.mjs's `compression({ threshold: 1024 })`: smaller pages go as they are. */
const COMPRESS_FROM = 1024;
/**
 * Brotli quality 3 (compression's default is 4) and gzip level 6: quality 3 takes half the CPU of 4
 * on the quiz page for ~7 % more bytes (~430 B); the figures are in decision 022, "Quiz page, third pass".
 */
const BROTLI = { params: { [zlib.BROTLI_PARAM_QUALITY]: 3, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT } };

/** The bytes of the documents rendered whole, by the Response that carries them. */
const wholeBodies = new WeakMap<Response, Buffer>();

/** A document Response whose bytes are all there: `writeBody` sends them without reading the stream back. */
export function documentResponse(bytes: Buffer, status: number, headers: HeadersInit): Response {
  const response = new Response(bytes as unknown as BodyInit, { status, headers });
  wholeBodies.set(response, bytes);
  return response;
}

/**
 * Writes the body of the Response Remix answered (status and headers already on `res`) and ends
 * `res`. Any other Response than a whole document (a streamed page, a Response Remix made anew, a
 * resource route's) goes the general way.
 */
export async function writeBody(response: Response, res: ServerResponse): Promise<void> {
  const whole = wholeBodies.get(response);
  if (whole) {
    // One synchronous call (~0.15–0.3 ms for a 24 KB page) costs less CPU in all than a zlib stream
    // per response; any other case (identity, deflate only, no-transform) is left to compression.
    const coding = whole.length >= COMPRESS_FROM ? wholeCoding(res.req) : null;
    if (coding && !/\bno-transform\b/i.test(String(res.getHeader("Cache-Control") ?? ""))) {
      const body =
        coding === "br"
          ? brotliCompressSync(whole, { ...BROTLI, params: { ...BROTLI.params, [zlib.BROTLI_PARAM_SIZE_HINT]: whole.length } })
          : gzipSync(whole);
      res.setHeader("Content-Encoding", coding);
      vary(res);
      res.setHeader("Content-Length", body.length);
      res.end(body);
      return;
    }
    res.setHeader("Content-Length", whole.length);
    res.end(whole);
  } else if (response.body && (response.headers.get("Content-Type") ?? "").startsWith("application/json")) {
    // JSON answers are small and whole: send them with a length, so compression can skip the tiny ones.
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader("Content-Length", body.length);
    res.end(body);
  } else if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/**
 * brotli or gzip, whichever the request's Accept-Encoding weighs more (brotli on a tie, as
 * compression prefers it); null when it takes neither (or for HEAD, which has no body).
 */
export function wholeCoding(req: IncomingMessage | undefined): "br" | "gzip" | null {
  if (!req || req.method === "HEAD") return null;
  const header = req.headers["accept-encoding"];
  if (!header) return null;
  let br = -1;
  let gzip = -1;
  let star = -1;
  for (const part of String(header).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split("=");
      if (key === "q") q = Number(value);
    }
    if (!Number.isFinite(q)) q = 0;
    if (name === "br") br = q;
    else if (name === "gzip") gzip = q;
    else if (name === "*") star = q;
  }
  if (br < 0) br = star;
  if (gzip < 0) gzip = star;
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? "br" : "gzip";
}

/** Adds Accept-Encoding to Vary once (compression adds it too, without repeating it). */
function vary(res: ServerResponse): void {
  const current = String(res.getHeader("Vary") ?? "");
  if (current === "*" || /(^|,)\s*accept-encoding\s*(,|$)/i.test(current)) return;
  res.setHeader("Vary", current ? `${current}, Accept-Encoding` : "Accept-Encoding");
}
