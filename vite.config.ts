import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { routeMatchCache } from "./vite.route-match-cache";
import { defineConfig } from "vitest/config";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

const { ignoredRouteFiles: _ignored, ...remixOptions } = remixConfig;

export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  // routeMatchCache: route matching computed once per route tree (decision 022). For `vite build`
  // it also bundles the router and the Remix code that calls it into the server build
  // (ssr.noExternal), so the patched copy is the only one serving; `vite dev` is left as it was.
  plugins: [tailwindcss(), !process.env.VITEST && routeMatchCache(), !process.env.VITEST && remix(remixOptions)],
  server: { port: 3000 },
  build: { target: "es2020" },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
    pool: "forks",
    // A test stuck on a hang still fails, but a test that reads a 100-row ranking through the
    // worker thread or imports the real content folder takes 5–10 s when other work holds both
    // cores (measured at a load average of 20–30 on this 2-core machine): vitest's 5 s default then
    // fails correct tests. Unit tests have no timing assertions; this is only the hang guard.
    testTimeout: 20_000,
  },
});
