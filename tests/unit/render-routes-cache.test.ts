/**
 * The render's routes kept per build (vite.route-match-cache.ts, decision 022 "Quiz page, third
 * pass"): `react-router-dom/server`'s createStaticRouter converts a routes array to data routes
 * once and renders exactly what the unpatched module renders; `@remix-run/react`'s RemixServer
 * reuses its server routes while the build's manifest, route modules, future flags and SPA mode are
 * the same, and builds them anew when any differs; a changed upstream fails the patch.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as upstream from "react-router-dom/server";
import { patchRemixServerSource, patchStaticRouterSource, RENDER_PATCH_MARKER } from "../../vite.route-match-cache";

type StaticServer = typeof upstream;

const require = createRequire(import.meta.url);
const STATIC_ROUTER = join(require.resolve("react-router-dom/server"), "..", "server.mjs");
const REMIX_SERVER = join(require.resolve("@remix-run/react"), "..", "esm", "server.js");

let dir: string;
let patched: StaticServer;

beforeAll(async () => {
  // Inside the repository, so that the patched module's bare imports resolve to node_modules.
  dir = mkdtempSync(join(import.meta.dirname, ".render-routes-"));
  const file = join(dir, "server.patched.mjs");
  writeFileSync(file, patchStaticRouterSource(readFileSync(STATIC_ROUTER, "utf8"), STATIC_ROUTER));
  patched = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as StaticServer;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const Layout = () => createElement("main", null, "layout");
const Page = () => createElement("p", null, "page");
const NotFound = () => createElement("p", null, "không có trang này");
const routes = () => [
  {
    id: "root",
    path: "/",
    Component: Layout,
    ErrorBoundary: NotFound,
    children: [
      { id: "quiz", path: "bai-thi/:attemptId", Component: Page },
      { id: "home", index: true, Component: Page },
    ],
  },
];

async function render(server: StaticServer, routeArray: ReturnType<typeof routes>, url: string) {
  const handler = server.createStaticHandler(routeArray);
  const context = await handler.query(new Request(`http://localhost${url}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = server.createStaticRouter(handler.dataRoutes, context);
  return { router, html: renderToString(createElement(server.StaticRouterProvider, { router, context, hydrate: false })) };
}

describe("createStaticRouter with its data routes kept", () => {
  it("converts a routes array once and renders what the unpatched module renders", async () => {
    const mine = routes();
    const theirs = routes();
    for (const url of ["/", "/bai-thi/abc", "/bai-thi/def", "/khong-co"]) {
      const a = await render(patched, mine, url);
      const b = await render(upstream, theirs, url);
      expect(a.html).toBe(b.html);
      expect(a.router.state.matches.map((m) => [m.route.id, m.params])).toEqual(b.router.state.matches.map((m) => [m.route.id, m.params]));
    }
    const handler = patched.createStaticHandler(mine);
    const context = await handler.query(new Request("http://localhost/bai-thi/x"));
    if (context instanceof Response) throw new Error("unexpected redirect");
    const first = patched.createStaticRouter(handler.dataRoutes, context);
    const second = patched.createStaticRouter(handler.dataRoutes, context);
    expect(second.routes).toBe(first.routes);
    // The unpatched module builds new data routes every time: what the cache saves.
    const plain = upstream.createStaticHandler(theirs);
    expect(upstream.createStaticRouter(plain.dataRoutes, context).routes).not.toBe(
      upstream.createStaticRouter(plain.dataRoutes, context).routes,
    );
    // Another routes array gets its own data routes.
    const other = patched.createStaticHandler(routes());
    expect(patched.createStaticRouter(other.dataRoutes, context).routes).not.toBe(first.routes);
  });
});

describe("RemixServer's routes kept per build", () => {
  /** The patched module's helper, run against a counting createServerRoutes. */
  function serverRoutesOf() {
    const source = patchRemixServerSource(readFileSync(REMIX_SERVER, "utf8"), REMIX_SERVER);
    const added = source.slice(source.lastIndexOf(`/* ${RENDER_PATCH_MARKER}`));
    const built: unknown[] = [];
    const createServerRoutes = (...args: unknown[]) => {
      const routes = [{ args }];
      built.push(routes);
      return routes;
    };
    const fn = new Function("createServerRoutes", `${added}\nreturn __cuocthiServerRoutes;`)(createServerRoutes) as (
      manifestRoutes: object,
      routeModules: Record<string, unknown>,
      future: object,
      isSpaMode: boolean,
    ) => unknown;
    return { fn, built };
  }

  it("reuses them for the same build and builds them anew when anything differs", () => {
    const { fn, built } = serverRoutesOf();
    const manifestRoutes = { root: {}, quiz: {} };
    const modules = { root: { a: 1 }, quiz: { b: 2 } };
    const future = { v3_singleFetch: true };
    const first = fn(manifestRoutes, { ...modules }, future, false);
    // The server runtime makes a new object of the same modules for every request.
    expect(fn(manifestRoutes, { ...modules }, future, false)).toBe(first);
    expect(built).toHaveLength(1);
    expect(fn(manifestRoutes, { ...modules, quiz: { b: 2 } }, future, false)).not.toBe(first);
    expect(fn(manifestRoutes, { ...modules, extra: {} }, future, false)).not.toBe(first);
    expect(fn(manifestRoutes, { ...modules }, { ...future }, false)).not.toBe(first);
    expect(fn(manifestRoutes, { ...modules }, future, true)).not.toBe(first);
    expect(fn({ ...manifestRoutes }, { ...modules }, future, false)).not.toBe(first);
    expect(built).toHaveLength(6);
  });

  it("patches the installed modules once and refuses a changed upstream", () => {
    const remix = readFileSync(REMIX_SERVER, "utf8");
    const once = patchRemixServerSource(remix);
    expect(once).toContain("let routes = __cuocthiServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);");
    expect(patchRemixServerSource(once)).toBe(once);
    const router = readFileSync(STATIC_ROUTER, "utf8");
    expect(patchStaticRouterSource(router)).toContain("let { manifest, dataRoutes } = __cuocthiDataRoutes(routes);");
    // Both copies of react-router-dom/server that Vite may resolve carry the same code.
    expect(patchStaticRouterSource(readFileSync(join(STATIC_ROUTER, "..", "dist", "server.mjs"), "utf8"))).toContain(RENDER_PATCH_MARKER);
    expect(() => patchRemixServerSource(remix.replace("createServerRoutes(manifest.routes", "createServerRoutes(manifest.all"))).toThrow(
      /createServerRoutes in RemixServer.*not found exactly once/,
    );
    expect(() => patchStaticRouterSource(router.replace("let manifest = {};", "const manifest = {};"))).toThrow(
      /convertRoutesToDataRoutes in createStaticRouter/,
    );
  });
});
