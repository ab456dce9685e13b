/**
 * The Remix options, in one place: vite.config.ts passes them to the Remix Vite plugin and
 * app/routes.ts reads `ignoredRouteFiles`, so `npx remix routes` and the build agree.
 * @type {import('@remix-run/dev').VitePluginConfig & { ignoredRouteFiles: string[] }}
 */
export default {
  appDirectory: "app",
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
    v3_routeConfig: true,
  },
};
