/**
 * The lingering close (app/.server/lifecycle.mjs, decision 015 "Stopping"): a server that closes a
 * connection while the client is still sending must not reset it, or the client's kernel throws
 * away the answer it had received but not yet read. Real sockets on loopback, no database.
 */
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { drainable } from "../../app/.server/lifecycle.mjs";

const BODY = 8 * 1024 * 1024; // far more than the kernel's socket buffers hold
let server: http.Server | null = null;

afterEach(async () => {
  await new Promise((done) => (server ? server.close(() => done(null)) : done(null)));
  server = null;
});

/** A server that refuses every upload at once with `Connection: close`, before reading its body. */
async function refusingServer(withDrainable: boolean): Promise<number> {
  server = http.createServer((_req, res) => {
    res.writeHead(413, { "Content-Type": "text/plain", Connection: "close", "Content-Length": 8 });
    res.end("too big\n");
  });
  if (withDrainable) drainable(server);
  await new Promise((done) => server!.listen(0, "127.0.0.1", () => done(null)));
  return (server.address() as net.AddressInfo).port;
}

/**
 * Sends an 8 MiB upload without reading anything until the whole body is written (or the write
 * fails), then reads: what the client finally gets, or the error it gets instead.
 */
function uploadThenRead(port: number): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.pause();
    let text = "";
    let error: string | undefined;
    socket.on("error", (e: NodeJS.ErrnoException) => (error ??= e.code));
    socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    socket.on("close", () => resolve({ text, error }));
    socket.once("connect", () => {
      socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${BODY}\r\n\r\n`);
      socket.write(Buffer.alloc(BODY, 0x61), () => {
        socket.resume();
        socket.end();
      });
    });
  });
}

describe("closing a connection the client is still sending on", () => {
  it("with the lingering close the client gets the whole answer, then a clean end", async () => {
    const port = await refusingServer(true);
    const { text, error } = await uploadThenRead(port);
    expect(error).toBeUndefined();
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toContain("too big\n");
  });

  it("without it (node's own destroySoon) the reset throws the unread answer away", async () => {
    const port = await refusingServer(false);
    const { text, error } = await uploadThenRead(port);
    expect(error).toMatch(/ECONNRESET|EPIPE/);
    expect(text).not.toContain("too big");
  });
});
