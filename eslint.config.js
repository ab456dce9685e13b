// The linter's two jobs: the usual recommended rules (JavaScript, TypeScript, React, hooks), and
// the walls between layers that STYLE.md draws (docs/decisions/021-layers-and-walls.md). Formatting
// is Prettier's (`prettier --check .` in `npm run lint`), so eslint-config-prettier goes last.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * How an import of each layer is spelled, as regular expressions over the import string: through
 * the `~/` alias or a relative path. No other spelling reaches these folders (tsconfig has one
 * alias), so matching the string is exact without a resolver.
 */
const layer = {
  server: { regex: String.raw`(^~/\.server(/|$))|((^|/)\.server(/|$))|(\.server(\.tsx?)?$)`, what: "app/.server (or a *.server module)" },
  db: { regex: String.raw`^(\.\./)+db(/|$)|^\./db(/|$)`, what: "db/" },
  routes: { regex: String.raw`^~/routes(/|$)|(^|/)routes/`, what: "app/routes" },
  components: { regex: String.raw`^~/components(/|$)|(^|/)components/`, what: "app/components" },
};

/** One `no-restricted-imports` rule listing what a layer may not import, and why. */
function walls(why, ...forbidden) {
  return [
    "error",
    {
      patterns: forbidden.map((f) =>
        typeof f === "string"
          ? { regex: layer[f].regex, message: `${why} (may not import ${layer[f].what}; see docs/decisions/021-layers-and-walls.md).` }
          : f,
      ),
    },
  ];
}

const noSqlHere = (why) => ({
  regex: String.raw`^(drizzle-orm|better-sqlite3)(/|$)`,
  message: `${why} (no SQL here: call a named query in app/.server).`,
});

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "public/build/**",
      ".cache/**",
      "playwright-report/**",
      "test-results/**",
      "tests/e2e/.tmp/**",
      "tests/bench/.tmp/**",
      "node_modules/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      // `_name` says "deliberately unused" (a destructured field left out, a required parameter).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    files: ["app/**/*.tsx", "tests/**/*.tsx"],
    ...react.configs.flat.recommended,
    ...react.configs.flat["jsx-runtime"],
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "18.3" } },
    rules: {
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat["jsx-runtime"].rules,
      // The two hook rules that hold for React 18 without the React Compiler; the compiler's
      // rules (refs read during render, setState in effects…) target code it would compile.
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      // Props are typed by TypeScript.
      "react/prop-types": "off",
    },
  },

  // ---- The walls (STYLE.md, "The shape a newcomer should see") ----
  {
    files: ["app/domain/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": walls(
        "app/domain is the rules as pure functions",
        "server",
        "db",
        "routes",
        "components",
        noSqlHere("app/domain is pure"),
      ),
    },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": walls(
        "app/components is shipped to the browser",
        "server",
        "db",
        "routes",
        noSqlHere("app/components runs in the browser"),
      ),
    },
  },
  {
    files: ["app/routes/**/*.{ts,tsx}", "app/root.tsx"],
    rules: {
      "no-restricted-imports": walls("A route parses, calls app/.server and renders", "db", noSqlHere("A route module")),
    },
  },
  {
    files: ["app/.server/**/*.{ts,tsx,mjs}"],
    rules: {
      "no-restricted-imports": walls("app/.server is below the interface", "routes", "components"),
    },
  },
  {
    files: ["app/i18n/**/*.ts"],
    rules: {
      "no-restricted-imports": walls("app/i18n holds strings only", "server", "db", "routes", "components"),
    },
  },
  {
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": walls("db/ is the schema, migrations and the client, below app/.server", "server", "routes", "components"),
    },
  },
  {
    // Time is injected (app/.server/clock.server.ts `now()`), so a test can set it: a route or a
    // rule that read the wall clock would disagree with the rest of the page under the test clock.
    files: ["app/routes/**/*.{ts,tsx}", "app/domain/**/*.ts", "app/.server/**/*.server.ts"],
    ignores: ["app/.server/clock.server.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "Date",
          property: "now",
          message: "Read the injected clock: now() from ~/.server/clock.server (or take `now` as a parameter).",
        },
      ],
    },
  },

  // Tests and tools use Node and the test runners' globals freely.
  {
    files: ["tests/**/*.{ts,tsx,mjs,js}", "*.config.{js,ts}", "db/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  prettier,
);
