/** A test server on 127.0.0.1 at a port the system picks, for tests that talk HTTP to the app's layers. */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";

export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  base: string;
  close: () => Promise<void>;
}

/** Serves `handler` (an Express app is one) and resolves once it listens. */
export async function listenOnLoopback(handler: RequestListener): Promise<Loopback> {
  const server = createServer(handler).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
