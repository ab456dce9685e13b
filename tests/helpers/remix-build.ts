/**
 * A minimal Remix server build for tests that drive the real request handler with this
 * repository's entry.server and hand-made route modules (board-cache, document-bytes): the
 * server's route table and the browser manifest's come from one list, and the future flags are
 * the app's own (remix.config.js), so a flag changed there is the one the tests run with.
 */
import type { ServerBuild } from "@remix-run/node";
import remixConfig from "../../remix.config.js";
import * as entryServer from "~/entry.server";

export interface TestRoute {
  id: string;
  parentId?: string;
  path: string;
  module: Record<string, unknown>;
  hasErrorBoundary?: boolean;
}

export function testServerBuild(routes: TestRoute[]): ServerBuild {
  // v3_routeConfig is the Vite plugin's (app/routes.ts), not the server runtime's.
  const { v3_routeConfig: _pluginOnly, ...future } = remixConfig.future as Record<string, boolean>;
  return {
    mode: "production",
    entry: { module: entryServer },
    routes: Object.fromEntries(routes.map(({ id, parentId, path, module }) => [id, { id, parentId, path, module }])),
    assets: {
      url: "/assets/manifest.js",
      version: "test",
      entry: { module: "/assets/entry.client.js", imports: [] },
      routes: Object.fromEntries(
        routes.map(({ id, parentId, path, module, hasErrorBoundary }) => [
          id,
          {
            id,
            parentId,
            path,
            module: `/assets/${id}.js`,
            hasLoader: typeof module.loader === "function",
            hasAction: false,
            hasClientAction: false,
            hasClientLoader: false,
            hasErrorBoundary: hasErrorBoundary ?? false,
          },
        ]),
      ),
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future,
    isSpaMode: false,
  } as unknown as ServerBuild;
}
