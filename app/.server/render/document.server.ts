/**
 * How a response leaves for the socket (app/.server/serve.mjs): a document rendered whole
 * (app/entry.server.tsx) goes in one `end` with its length, so Express's compression compresses it
 * in one go; a streamed document goes chunk by chunk, each flushed through compression as it comes;
 * JSON goes whole with its length. Decision 022, "Bytes: compression, streams and the render".
 */
import type { ServerResponse } from "node:http";
import { writeReadableStreamToWritable } from "@remix-run/node";

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
