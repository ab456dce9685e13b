// How an HTTP server process stops without dropping what it has received (issue 13, section 1;
// docs/decisions/015-operating-it.md, "Stopping"). On SIGTERM: stop accepting, close idle
// keep-alive connections, answer every request already received with `Connection: close`
// (a busy keep-alive connection closes after its response), wait for them up to
// DRAIN_TIMEOUT_SECONDS, then the caller closes the database and exits 0. When the time is up the
// caller says how many were cut and exits 1, so a supervisor can tell a forced stop from a clean one.
// A connection idle for IDLE_GRACE_MS is closed (at once if it already was when the drain began).
// Plain JavaScript, like serve.mjs and cluster.mjs, which use it.
import net from "node:net";

/** DRAIN_TIMEOUT_SECONDS (default 20): how long a stopping process waits for requests in flight. */
export function drainTimeoutMs(env = process.env) {
  const raw = env.DRAIN_TIMEOUT_SECONDS;
  if (raw === undefined || raw.trim() === "") return 20_000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 600) {
    console.error(`[cuocthi] DRAIN_TIMEOUT_SECONDS phải là số giây từ 0 đến 600 (nhận được "${raw}")`);
    process.exit(2);
  }
  return Math.round(n * 1000);
}

/**
 * A connection counts as idle once no request has been in progress on it for this long. "Idle" in
 * Node's own sense (`closeIdleConnections`, which `http.Server#close` calls) includes a connection
 * whose next request is already in the socket's buffer but not yet read: under load that is many
 * of them, and closing them resets requests the client has sent (seen: 12 of ~200 in the test).
 */
export const IDLE_GRACE_MS = 1_000;

/**
 * Watches `server`'s connections and requests from the start (call it right after `listen`);
 * `drain()` then stops it and resolves with the number of requests it had to give up on (0: clean).
 */
export function drainable(server) {
  /** Responses not yet finished (a request received, its answer not yet fully sent). */
  const inFlight = new Set();
  /** Open connections, each with `busy` (requests in progress on it) and `idleSince`. */
  const sockets = new Set();
  let draining = false;
  let settle = null;
  const check = () => {
    if (!draining) return;
    const now = Date.now();
    for (const socket of sockets) {
      if (socket.busy === 0 && now - socket.idleSince >= IDLE_GRACE_MS) socket.destroy();
    }
    if (inFlight.size === 0 && sockets.size === 0) settle?.(0);
  };

  server.on("connection", (socket) => {
    socket.busy = 0;
    socket.idleSince = Date.now();
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      check();
    });
  });
  // prependListener: the header must be set before the app can send it.
  server.prependListener("request", (req, res) => {
    const socket = req.socket;
    inFlight.add(res);
    socket.busy += 1;
    if (draining) res.setHeader("Connection", "close");
    res.once("close", () => {
      inFlight.delete(res);
      socket.busy -= 1;
      socket.idleSince = Date.now();
      check();
    });
  });

  return {
    get inFlight() {
      return inFlight.size;
    },
    /** Stop accepting, answer what was received, resolve with how many were still open at `timeoutMs`. */
    drain(timeoutMs) {
      if (draining) return Promise.resolve(inFlight.size);
      draining = true;
      return new Promise((resolve) => {
        const sweep = setInterval(check, 100);
        const finish = (n) => {
          settle = null;
          clearTimeout(timer);
          clearInterval(sweep);
          resolve(n);
        };
        const timer = setTimeout(() => finish(inFlight.size), timeoutMs);
        settle = finish;
        // Answers not yet begun say `Connection: close`: their connection closes after them.
        for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
        // Stop listening (in a cluster worker: leave the primary's round robin) WITHOUT Node's
        // closeIdleConnections (see IDLE_GRACE_MS): net.Server's close, not http.Server's.
        net.Server.prototype.close.call(server);
        check();
      });
    },
  };
}
