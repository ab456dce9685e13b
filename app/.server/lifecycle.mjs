// How an HTTP server process stops without dropping what it has received (issue 13, section 1;
// docs/decisions/015-operating-it.md, "Stopping"). On SIGTERM: stop accepting, answer every
// request already received (and any that still comes on an open keep-alive connection) with
// `Connection: close`, close idle connections once the process has gone quiet, wait up to
// DRAIN_TIMEOUT_SECONDS, then the caller closes the database and exits 0. When the time is up the
// caller says how many were cut and exits 1, so a supervisor can tell a forced stop from a clean one.
// Every connection the server closes is closed the lingering way (see `lingeringClose`).
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
 * During a drain an idle keep-alive connection is closed only once it has carried no request for
 * this long AND no request has begun on any connection of the process for this long. A client
 * still sending to the process (a browser, Caddy's pool, the test's load) uses its idle
 * connections one more time each and gets `Connection: close` on them; closing one under a client
 * that is about to send on it is the race HTTP/1.1 keep-alive always has (the request never
 * reaches the app and the client gets a connection error), so it is done only when the clients
 * have stopped sending here. Node's own way (`closeIdleConnections`, which `http.Server#close`
 * calls) closes at once every connection between two requests, including one whose next request
 * is already in the socket's buffer: under load that reset 12 of ~200 requests.
 */
export const IDLE_GRACE_MS = 2_000;

/**
 * After the server's last byte on a connection, how long it keeps reading (and discarding) what
 * the client still sends before it lets the connection go. See `lingeringClose`.
 */
export const LINGER_MS = 2_000;

/**
 * Closes `socket` the lingering way (as Apache's and nginx's lingering close): send what is
 * queued and a FIN (half-close), then keep reading and discarding until the client closes its
 * side or LINGER_MS pass, and only then destroy. A socket closed while bytes the client sent are
 * unread in the kernel's buffer (a next request sent just as the server closes) is answered with
 * an RST, and an RST makes the client's kernel throw away what it had received but not yet read —
 * the last, complete answer included. Reading until the client's FIN means the socket is never
 * closed with unread input (the forced path at the drain timeout excepted).
 */
export function lingeringClose(socket) {
  if (socket.destroyed || socket.lingering) return;
  socket.lingering = true;
  // From here nothing the client sends is parsed as a request (it could not be answered on a
  // half-closed connection): take the socket back from node's HTTP parser, as node's own upgrade
  // path does, and discard what arrives.
  const parser = socket.parser;
  if (parser && parser._consumed && socket._handle) {
    parser.unconsume();
    parser._consumed = false;
  }
  socket.removeAllListeners("data");
  socket.on("data", () => {});
  socket.on("error", () => {}); // an RST from the client now: nothing left to lose
  socket.once("end", () => socket.destroy()); // the client's FIN: both sides are done
  socket.resume();
  // The stream may still count a read as pending from before the parser took the socket (it never
  // completes then): start reading at the handle, as net.Socket's own tryReadStart does.
  if (socket._handle && !socket._handle.reading) {
    socket._handle.reading = true;
    socket._handle.readStart();
  }
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}

/**
 * Watches `server`'s connections and requests from the start (call it right after creating the
 * server); `drain()` then stops it and resolves with the number of requests it had to give up on
 * (0: clean).
 */
export function drainable(server) {
  /** Responses not yet finished (a request received, its answer not yet fully sent). */
  const inFlight = new Set();
  /** Open connections, each with `busy` (requests in progress on it) and `idleSince`. */
  const sockets = new Set();
  /** Set once the drain may close connections (see `drain`'s `closeAfter`). */
  let closing = false;
  let draining = false;
  let lastRequestAt = Date.now();
  let settle = null;
  const check = () => {
    if (!draining) return;
    if (closing) {
      const now = Date.now();
      const quiet = now - lastRequestAt >= IDLE_GRACE_MS;
      for (const socket of sockets) {
        if (socket.busy > 0 || socket.lingering || !quiet || now - socket.idleSince < IDLE_GRACE_MS) continue;
        lingeringClose(socket);
      }
    }
    if (inFlight.size === 0 && sockets.size === 0) settle?.(0);
  };

  server.on("connection", (socket) => {
    socket.busy = 0;
    socket.idleSince = Date.now();
    sockets.add(socket);
    // Node's http server ends a connection after a `Connection: close` answer with destroySoon
    // (end, then destroy at once): make that the lingering close.
    socket.destroySoon = () => lingeringClose(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      check();
    });
  });
  // prependListener: the header must be set before the app can send it.
  server.prependListener("request", (req, res) => {
    const socket = req.socket;
    lastRequestAt = Date.now();
    inFlight.add(res);
    socket.busy += 1;
    if (closing) res.setHeader("Connection", "close");
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
    /**
     * Stop accepting, answer what was received, resolve with how many were still open at
     * `timeoutMs`. `closeAfter` (a promise; a cluster worker's, app/.server/cluster.mjs) holds back
     * the `Connection: close` answers and the closing of idle connections until it resolves: until
     * every worker has left the primary's round robin, a client told to reconnect would only land
     * in the primary's queue of accepted connections, which is dropped when the last worker leaves.
     */
    drain(timeoutMs, { closeAfter } = {}) {
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
        const startClosing = () => {
          if (closing) return;
          closing = true;
          // Answers not yet begun say `Connection: close`: their connection closes after them.
          for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
          check();
        };
        // Stop listening (in a cluster worker: leave the primary's round robin) WITHOUT Node's
        // closeIdleConnections (see IDLE_GRACE_MS): net.Server's close, not http.Server's.
        net.Server.prototype.close.call(server);
        if (closeAfter) closeAfter.then(startClosing, startClosing);
        else startClosing();
        check();
      });
    },
  };
}
