/**
 * Route matching once per route tree (decision 022, "Route matching and the session read").
 *
 * `@remix-run/router`'s `matchRoutes` flattens the whole route tree, scores and sorts every branch,
 * and compiles every tried route pattern into a RegExp on EVERY call; Remix's server runtime calls
 * it ~4.4 times per document request and ~2.2 times per data request, React Router once more
 * during the render. This Vite plugin rewrites that module as it is bundled into the server build:
 *
 * - `matchRoutesImpl` takes the ranked branches of a routes array from a WeakMap keyed by the
 *   array (computed on first use). The server runtime builds its routes once per build and never
 *   changes them, so the cache is exact there. (A routes array changed in place after it was
 *   first matched would keep its old branches: only the browser's lazy route discovery does that,
 *   which is why the client bundle is left as it is.)
 * - It remembers, per ranked branches and decoded pathname (and `allowPartial`), which branch
 *   matched, and next time runs only that branch's `matchRouteBranch` — the same deterministic
 *   function on the same immutable branch, so the same result, in new objects every call (a caller
 *   may change the params it gets). Misses (no route) scan as before; at most 5,000 pathnames are
 *   kept per route tree (then the map is emptied).
 * - `compilePath` keeps the RegExp and parameter list of each (path, caseSensitive, end) in a Map
 *   (emptied if it ever holds 2,000 patterns). Both are only read by `matchPath`; the RegExp has
 *   no `g`/`y` flag, so it keeps no state between matches.
 *
 * React Router's render matches again, on route objects it used to build anew for every document
 * (decision 022, "Quiz page, third pass"): `@remix-run/react`'s `RemixServer` called
 * `createServerRoutes` and `react-router-dom/server`'s `createStaticRouter` converted them to data
 * routes, so the render's `matchRoutes` (and the partial manifest's, one per parent path) missed
 * both caches above and flattened the tree again. Two more patches keep those arrays per build:
 *
 * - `RemixServer` takes its server routes from a WeakMap keyed by the build's `manifest.routes`,
 *   kept with the route modules (compared one by one: the server runtime makes a new object of the
 *   same modules for each request), `future` and `isSpaMode` it was built from; anything else
 *   builds them anew as before.
 * - `createStaticRouter` keeps the data routes (and their id → route manifest) per routes array in
 *   a WeakMap. Nothing on the server changes them after conversion (they have no `lazy`; the
 *   elements `mapRouteProperties` makes are immutable React elements), so the render gets the same
 *   routes as before and its matching hits the ranked-branch cache.
 *
 * Every replaced piece of upstream code is matched exactly and must occur exactly once; when an
 * upgrade of `@remix-run/router` changes it, `patchRouterSource` throws and the build fails with
 * the reason, and a server build that did not pass the module through the patch at all fails too.
 */
import type { Plugin } from "vite";

/** Marks a patched module (the server build's bundle contains it; the tests look for it). */
export const PATCH_MARKER = "cuocthi: route matching once per route tree";

const MATCH_ORIGINAL = `  let branches = flattenRoutes(routes);
  rankRouteBranches(branches);
  let matches = null;
  let decoded = decodePath(pathname);
`;
const MATCH_PATCHED = `  let branches = __cuocthiRankedBranches(routes);
  let matches = null;
  let decoded = decodePath(pathname);
  let found = __cuocthiFound(branches, decoded, allowPartial);
  if (found !== undefined) return matchRouteBranch(branches[found], decoded, allowPartial);
`;

const SCAN_ORIGINAL = `    matches = matchRouteBranch(branches[i], decoded, allowPartial);
`;
const SCAN_PATCHED = `    matches = matchRouteBranch(branches[i], decoded, allowPartial);
    if (matches != null) __cuocthiRemember(branches, decoded, allowPartial, i);
`;

const COMPILE_ORIGINAL = "function compilePath(path, caseSensitive, end) {";
const COMPILE_PATCHED = "function __cuocthiCompilePathUncached(path, caseSensitive, end) {";

const ADDED = `
/* ${PATCH_MARKER} (vite.route-match-cache.ts) */
const __cuocthiBranches = new WeakMap();
function __cuocthiRankedBranches(routes) {
  let branches = __cuocthiBranches.get(routes);
  if (!branches) {
    branches = flattenRoutes(routes);
    rankRouteBranches(branches);
    __cuocthiBranches.set(routes, branches);
  }
  return branches;
}
const __cuocthiFoundAt = new WeakMap();
function __cuocthiFound(branches, decoded, allowPartial) {
  return __cuocthiFoundAt.get(branches)?.get((allowPartial ? "1" : "0") + decoded);
}
function __cuocthiRemember(branches, decoded, allowPartial, index) {
  let found = __cuocthiFoundAt.get(branches);
  if (!found) __cuocthiFoundAt.set(branches, (found = new Map()));
  if (found.size >= 5000) found.clear();
  found.set((allowPartial ? "1" : "0") + decoded, index);
}
const __cuocthiCompiled = new Map();
function compilePath(path, caseSensitive, end) {
  const key = (caseSensitive ? "1" : "0") + (end === undefined || end ? "1" : "0") + path;
  let compiled = __cuocthiCompiled.get(key);
  if (!compiled) {
    if (__cuocthiCompiled.size >= 2000) __cuocthiCompiled.clear();
    compiled = __cuocthiCompilePathUncached(path, caseSensitive, end);
    __cuocthiCompiled.set(key, compiled);
  }
  return compiled;
}
`;

function replaceOnce(source: string, original: string, patched: string, what: string, file: string): string {
  const first = source.indexOf(original);
  if (first < 0 || source.indexOf(original, first + original.length) >= 0) {
    throw new Error(
      `[route-match-cache] ${file}: the code to patch (${what}) is not found exactly once. ` +
        "@remix-run/router has changed: check the new version's matchRoutesImpl/compilePath and update " +
        "vite.route-match-cache.ts (decision 022) before building.",
    );
  }
  return source.slice(0, first) + patched + source.slice(first + original.length);
}

/** The module's source with the two caches, or an error naming what no longer matches. */
export function patchRouterSource(source: string, file = "@remix-run/router"): string {
  if (source.includes(PATCH_MARKER)) return source;
  let patched = replaceOnce(source, MATCH_ORIGINAL, MATCH_PATCHED, "flattenRoutes + rankRouteBranches in matchRoutesImpl", file);
  patched = replaceOnce(patched, SCAN_ORIGINAL, SCAN_PATCHED, "the branch scan of matchRoutesImpl", file);
  patched = replaceOnce(patched, COMPILE_ORIGINAL, COMPILE_PATCHED, "function compilePath", file);
  return patched + ADDED;
}

/** Marks the patched `@remix-run/react` server module and `react-router-dom/server`. */
export const RENDER_PATCH_MARKER = "cuocthi: the render's routes once per build";

const SERVER_ROUTES_ORIGINAL = "  let routes = createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);\n";
const SERVER_ROUTES_PATCHED = "  let routes = __cuocthiServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);\n";
const SERVER_ROUTES_ADDED = `
/* ${RENDER_PATCH_MARKER} (vite.route-match-cache.ts) */
const __cuocthiServerRoutesKept = new WeakMap();
function __cuocthiSameModules(a, b) {
  if (a === b) return true;
  let keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (let key of keys) if (a[key] !== b[key]) return false;
  return true;
}
function __cuocthiServerRoutes(manifestRoutes, routeModules, future, isSpaMode) {
  let kept = __cuocthiServerRoutesKept.get(manifestRoutes);
  if (!kept || kept.future !== future || kept.isSpaMode !== isSpaMode || !__cuocthiSameModules(kept.routeModules, routeModules)) {
    kept = { routeModules: { ...routeModules }, future, isSpaMode, routes: createServerRoutes(manifestRoutes, routeModules, future, isSpaMode) };
    __cuocthiServerRoutesKept.set(manifestRoutes, kept);
  }
  return kept.routes;
}
`;

const STATIC_ROUTER_ORIGINAL = `  let manifest = {};
  let dataRoutes = UNSAFE_convertRoutesToDataRoutes(routes, UNSAFE_mapRouteProperties, undefined, manifest);
`;
const STATIC_ROUTER_PATCHED = `  let { manifest, dataRoutes } = __cuocthiDataRoutes(routes);
`;
const STATIC_ROUTER_ADDED = `
/* ${RENDER_PATCH_MARKER} (vite.route-match-cache.ts) */
const __cuocthiDataRoutesKept = new WeakMap();
function __cuocthiDataRoutes(routes) {
  let kept = __cuocthiDataRoutesKept.get(routes);
  if (!kept) {
    let manifest = {};
    kept = { manifest, dataRoutes: UNSAFE_convertRoutesToDataRoutes(routes, UNSAFE_mapRouteProperties, undefined, manifest) };
    __cuocthiDataRoutesKept.set(routes, kept);
  }
  return kept;
}
`;

/** `@remix-run/react`'s server module with RemixServer's routes kept per build. */
export function patchRemixServerSource(source: string, file = "@remix-run/react/dist/esm/server.js"): string {
  if (source.includes(RENDER_PATCH_MARKER)) return source;
  return (
    replaceOnce(source, SERVER_ROUTES_ORIGINAL, SERVER_ROUTES_PATCHED, "createServerRoutes in RemixServer", file) + SERVER_ROUTES_ADDED
  );
}

/** `react-router-dom/server` with createStaticRouter's data routes kept per routes array. */
export function patchStaticRouterSource(source: string, file = "react-router-dom/server.mjs"): string {
  if (source.includes(RENDER_PATCH_MARKER)) return source;
  return (
    replaceOnce(source, STATIC_ROUTER_ORIGINAL, STATIC_ROUTER_PATCHED, "convertRoutesToDataRoutes in createStaticRouter", file) +
    STATIC_ROUTER_ADDED
  );
}

/** The router's module files (ESM or CommonJS build), as Vite names them. */
const ROUTER_MODULE = /[\\/]node_modules[\\/]@remix-run[\\/]router[\\/]dist[\\/]router(?:\.cjs)?\.js$/;
/** The render's two modules, as the server build bundles them (their ESM builds). */
const REMIX_SERVER_MODULE = /[\\/]node_modules[\\/]@remix-run[\\/]react[\\/]dist[\\/]esm[\\/]server\.js$/;
const STATIC_ROUTER_MODULE = /[\\/]node_modules[\\/]react-router-dom[\\/](?:dist[\\/])?server\.mjs$/;

/**
 * The packages bundled into the server build so that every caller of route matching on the server
 * (the request handler of @remix-run/server-runtime, which serve.mjs takes from the build, and
 * React Router's render) uses the one patched copy of @remix-run/router.
 */
export const routeMatchBundled = [
  "@remix-run/router",
  "@remix-run/server-runtime",
  "@remix-run/node",
  "@remix-run/react",
  "react-router",
  "react-router-dom",
];

/**
 * The Vite plugin: bundles `@remix-run/router` and the framework code that calls it into the
 * server build (`routeMatchBundled`, for `vite build` only), patches the router there, and fails
 * that build when the module never came through.
 */
export function routeMatchCache(): Plugin {
  let ssrBuild = false;
  let patchedFiles = 0;
  let remixServerPatched = 0;
  let staticRouterPatched = 0;
  return {
    name: "cuocthi-route-match-cache",
    enforce: "pre",
    // Only the production build bundles them: Vite's dev server runs noExternal packages as ESM,
    // which the CommonJS builds of @remix-run/node and server-runtime are not.
    config(_config, { command }) {
      return command === "build" ? { ssr: { noExternal: routeMatchBundled } } : undefined;
    },
    configResolved(config) {
      ssrBuild = config.command === "build" && Boolean(config.build.ssr);
    },
    buildStart() {
      patchedFiles = 0;
      remixServerPatched = 0;
      staticRouterPatched = 0;
    },
    transform(code, id, options) {
      if (!options?.ssr) return null;
      const file = id.split("?")[0]!;
      if (ROUTER_MODULE.test(file)) {
        patchedFiles++;
        return { code: patchRouterSource(code, id), map: null };
      }
      if (REMIX_SERVER_MODULE.test(file)) {
        remixServerPatched++;
        return { code: patchRemixServerSource(code, id), map: null };
      }
      if (STATIC_ROUTER_MODULE.test(file)) {
        staticRouterPatched++;
        return { code: patchStaticRouterSource(code, id), map: null };
      }
      return null;
    },
    buildEnd(error) {
      if (ssrBuild && !error && patchedFiles === 0) {
        this.error(
          "[route-match-cache] the server build did not bundle @remix-run/router, so route matching is not " +
            "cached: something now externalizes it or its callers (ssr.external, ssr.noExternal; routeMatchBundled in vite.route-match-cache.ts).",
        );
      }
      if (ssrBuild && !error && (remixServerPatched === 0 || staticRouterPatched === 0)) {
        this.error(
          "[route-match-cache] the server build did not bundle the ESM modules of @remix-run/react's server " +
            "(dist/esm/server.js) and react-router-dom/server (server.mjs), so the render's routes are built anew for " +
            "every page: check how they are resolved now (vite.route-match-cache.ts, decision 022).",
        );
      }
    },
  };
}
