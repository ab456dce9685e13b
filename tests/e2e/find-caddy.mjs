// Finds Debian's Caddy for the reverse-proxy test (tests/e2e/ops-caddy.spec.ts): CADDY_PATH or
// /usr/bin/caddy. Run alone it prints where it is, or fails saying how to install it.
import { existsSync } from "node:fs";

export const caddyMissing = [
  "Không tìm thấy Caddy để chạy kiểm thử proxy ngược (Caddy not found).",
  "Cài rồi chạy lại: sudo apt-get install -y caddy   (hoặc đặt CADDY_PATH=/đường/dẫn/tới/caddy)",
].join("\n");

export function findCaddy() {
  for (const path of [process.env.CADDY_PATH, "/usr/bin/caddy"]) if (path && existsSync(path)) return path;
  return null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findCaddy();
  if (!found) {
    console.error(caddyMissing);
    process.exit(1);
  }
  console.log(`Caddy: ${found}`);
}
