// Finds the Chromium that Playwright will drive: CHROMIUM_PATH, Debian's /usr/bin/chromium, or
// Playwright's own download. Prints where it is, or fails saying how to install one.
import { existsSync } from "node:fs";

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const path of candidates) if (path && existsSync(path)) return path;
  return null;
}

async function playwrightOwn() {
  try {
    const { chromium } = await import("@playwright/test");
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findChromium() ?? (await playwrightOwn());
  if (!found) {
    console.error(
      [
        "Không tìm thấy Chromium để chạy kiểm thử trình duyệt (Chromium not found).",
        "Cài một trong các cách sau rồi chạy lại npm test:",
        "  - Debian/Ubuntu: sudo apt-get install -y chromium",
        "  - hoặc đặt biến CHROMIUM_PATH=/đường/dẫn/tới/chromium",
        "  - hoặc, nơi có mạng tải trình duyệt: npx playwright install chromium",
      ].join("\n"),
    );
    process.exit(1);
  }
  console.log(`Chromium: ${found}`);
}
