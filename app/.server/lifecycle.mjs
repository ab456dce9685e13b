// How an HTTP server process stops without dropping what it has received (issue 13, section 1;
// docs/decisions/015-operating-it.md, "Stopping"). On SIGTERM: stop accepting, close idle
// keep-alive connections at once, answer every request already received with `Connection: close`
// (a busy keep-alive connection closes after its response), wait for them up to
// DRAIN_TIMEOUT_SECONDS, then the caller closes the database and exits 0. When the time is up the
// caller says how many were cut and exits 1, so a supervisor can tell a forced stop from a clean one.
// Plain JavaScript, like serve.mjs and cluster.mjs, which use it.

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
 * Watches `server`'s requests from the start (call it before the server listens); `drain()` then
 * stops it and resolves with the number of requests it had to give up on (0: a clean stop).
 */
export function drainable(server) {
  /** Responses not yet finished (a request received, its answer not yet fully sent). */
  const inFlight = new Set();
  let draining = false;
  let settle = null;

  const closeWhenDone = () => {
    // A response whose headers went out before the drain (a streamed page) kept its connection
    // alive: once it is finished that connection is idle, and closed here.
    setImmediate(() => server.closeIdleConnections());
    if (inFlight.size === 0) settle?.(0);
  };
  // prependListener: the header must be set before the app can send it.
  server.prependListener("request", (req, res) => {
    inFlight.add(res);
    if (draining) res.setHeader("Connection", "close");
    res.once("close", () => {
      inFlight.delete(res);
      if (draining) closeWhenDone();
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
        const timer = setTimeout(() => {
          settle = null;
          resolve(inFlight.size);
        }, timeoutMs);
        timer.unref();
        settle = (n) => {
          settle = null;
          clearTimeout(timer);
          resolve(n);
        };
        for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
        // Stops listening (in a cluster worker: leaves the primary's round robin) and, since
        // Node 19, closes the idle keep-alive connections; said again for clarity.
        server.close();
        server.closeIdleConnections();
        if (inFlight.size === 0) settle(0);
      });
    },
  };
}
