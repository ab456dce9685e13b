/**
 * The walls between layers (docs/decisions/021-layers-and-walls.md) as the linter enforces them:
 * each wrong-way import is refused where it is written, each right-way one passes. Runs the
 * project's own eslint.config.js on small sources placed at real paths.
 */
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

let eslint: ESLint;
beforeAll(async () => {
  eslint = new ESLint({ cwd: process.cwd() });
  // Loading the config and its plugins is the slow part (seconds on a busy machine): once, here.
  await eslint.lintText("export {};\n", { filePath: "app/domain/warm-up.ts" });
}, 60_000);

async function refusals(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const cases: { file: string; line: string; refused: boolean }[] = [
  // app/domain: pure rules, nothing from below or above it
  { file: "app/domain/example.ts", line: 'import type { Role } from "../../db/schema";', refused: true },
  { file: "app/domain/content/example.ts", line: 'import { x } from "../../../db/client";', refused: true },
  { file: "app/domain/example.ts", line: 'import { now } from "~/.server/clock.server";', refused: true },
  { file: "app/domain/example.ts", line: 'import { now } from "../.server/clock.server";', refused: true },
  { file: "app/domain/example.ts", line: 'import { formatNumber } from "~/components/format";', refused: true },
  { file: "app/domain/example.ts", line: 'import { loader } from "~/routes/healthz";', refused: true },
  { file: "app/domain/example.ts", line: 'import { sql } from "drizzle-orm";', refused: true },
  { file: "app/domain/example.ts", line: 'import { rankLabel } from "./ranking";', refused: false },
  { file: "app/domain/example.ts", line: 'import { t } from "~/i18n/vi";', refused: false },
  // app/components: shipped to the browser
  { file: "app/components/example.tsx", line: 'import { getDb } from "~/.server/db.server";', refused: true },
  { file: "app/components/ui/example.tsx", line: 'import { users } from "../../../db/schema";', refused: true },
  { file: "app/components/example.tsx", line: 'import { formatNumber } from "~/domain/format";', refused: false },
  // routes: through app/.server only
  { file: "app/routes/example.tsx", line: 'import { getDb } from "../../db/client";', refused: true },
  { file: "app/routes/example.tsx", line: 'import { attempts } from "../../db/schema";', refused: true },
  { file: "app/routes/example.tsx", line: 'import { eq } from "drizzle-orm";', refused: true },
  { file: "app/routes/example.tsx", line: 'import { getDb } from "~/.server/db.server";', refused: false },
  { file: "app/root.tsx", line: 'import { getDb } from "../db/client";', refused: true },
  // app/.server: below the interface
  { file: "app/.server/example.server.ts", line: 'import { formatNumber } from "~/components/format";', refused: true },
  { file: "app/.server/example.server.ts", line: 'import * as r from "~/routes/healthz";', refused: true },
  { file: "app/.server/example.server.ts", line: 'import { users } from "../../db/schema";', refused: false },
  // db/: the schema and the client, below app/.server
  { file: "db/example.ts", line: 'import { hashPassword } from "~/.server/auth/password.server";', refused: true },
  { file: "db/example.ts", line: 'import { hashPassword } from "../app/.server/auth/password.server";', refused: true },
  { file: "db/example.ts", line: 'import type { Role } from "../app/domain/accounts";', refused: false },
];

describe("the layer walls", () => {
  it.each(cases)(
    "$file: $line → refused $refused",
    async ({ file, line, refused }) => {
      const messages = await refusals(
        file,
        `${line}\nexport const used = [${line.match(/\{ (?:type )?(\w+)/)?.[1] ?? line.match(/\* as (\w+)/)?.[1]}];\n`,
      );
      if (refused) expect(messages.join("\n")).toMatch(/decisions\/021-layers-and-walls\.md|no SQL here/);
      else expect(messages).toEqual([]);
    },
    20_000,
  );
});
