import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import { clientAddressOf } from "~/.server/observe.server";

/** A request as node hands it over: the peer's address and what the client wrote in X-Forwarded-For. */
function request(peer: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
  } as unknown as IncomingMessage;
}

// The lean path (answer saves, /healthz) logs the client address without Express: the same rule as `req.ip`.
describe("the client address logged for requests answered before Express", () => {
  test("no proxy trusted: the peer, whatever X-Forwarded-For says", () => {
    expect(clientAddressOf(false)(request("10.0.0.9", "203.0.113.7"))).toBe("10.0.0.9");
  });
  test("one trusted hop: the address the proxy saw, not one the client wrote before it", () => {
    expect(clientAddressOf(1)(request("127.0.0.1", "127.0.0.2"))).toBe("127.0.0.2");
    expect(clientAddressOf(1)(request("127.0.0.1", "203.0.113.7, 127.0.0.2"))).toBe("127.0.0.2");
  });
  test("a trusted proxy by address: a request from elsewhere keeps its own address", () => {
    const address = clientAddressOf("loopback");
    expect(address(request("127.0.0.1", "198.51.100.4"))).toBe("198.51.100.4");
    expect(address(request("192.0.2.8", "198.51.100.4"))).toBe("192.0.2.8");
  });
});
