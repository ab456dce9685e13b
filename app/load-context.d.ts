import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's IP address, from the production server (app/.server/serve.mjs). */
    clientIp?: string;
    /** Set by a loader whose page is the same for every visitor: its ETag and Cache-Control (app/.server/http-cache.server.ts). */
    publicPage?: Record<string, string>;
    /** With publicPage on a frozen leaderboard: what the rendered bytes may be kept under (app/.server/board-cache.server.ts). */
    boardPage?: import("~/.server/board-cache.server").BoardPageStamp;
  }
}
