import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's IP address, from the production server (app/.server/serve.mjs). */
    clientIp?: string;
  }
}
