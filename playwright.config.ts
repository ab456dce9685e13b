import { defineConfig, devices } from "@playwright/test";
import { findChromium } from "./tests/e2e/find-chromium.mjs";

const port = Number(process.env.E2E_PORT ?? 3100);
const executablePath = findChromium() ?? undefined;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    {
      name: "phone-360",
      use: { ...devices["Pixel 7"], viewport: { width: 360, height: 780 }, browserName: "chromium" },
    },
  ],
  webServer: {
    // A fresh database of its own, content imported, the practice round opened relative to now.
    command: `npx tsx tests/e2e/serve.ts`,
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { PORT: String(port) },
    stdout: "ignore",
    stderr: "pipe",
  },
});
