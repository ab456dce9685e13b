// How an HTTP server process stops without dropping what it has received (issue 13, section 1;
// docs/decisions/015-operating-it.md, "Stopping"). On SIGTERM: stop accepting, close idle
// keep-alive connections, answer every request already received with `Connection: close`
// (a busy keep-alive connection closes after its response; an idle one after IDLE_GRACE_MS), wait up to
// DRAIN_TIMEOUT_SECONDS, then the caller closes the database and exits 0. When the time is up the
// caller says how many were cut and exits 1, so a supervisor can tell a forced stop from a clean one.
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
 * During a drain a connection is closed once it has carried no request for this long. Node's own
 * way (`closeIdleConnections`, which `http.Server#close` calls) closes at once every connection
 * between two requests, including one whose next request is already in the socket's buffer but not
 * yet read: under load that reset 12 of ~200 requests in tests/e2e/ops-drain.spec.ts. A request
 * arriving on an open connection during the drain is answered with `Connection: close`. What is
 * left is the race HTTP/1.1 keep-alive always has (a client sends on a connection just as the
 * server closes it): rare, the request never reached the app, and the quiz page sends a save again
 * after a network error (decision 015, "Stopping").
 */
export const IDLE_GRACE_MS = 2_000;

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
      if (socket.busy > 0 || socket.closing || now - socket.idleSince < IDLE_GRACE_MS) continue;
      socket.closing = true;
      // Bytes of a last answer still queued are sent first (end); an empty idle one goes at once.
      if (socket.writableLength > 0) socket.end();
      else socket.destroy();
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
