/**
 * The share card of a contest: a 1200×630 PNG with its title (wrapped), its rounds' dates and the
 * site's name, drawn with pureimage and a DejaVu font (it has every Vietnamese glyph). Made when the
 * contest is imported or edited (content import), stored in `contests.share_image`, served as a
 * file: no browser and no drawing at request time. Synchronous, so it runs inside the import's
 * transaction; it takes a few hundred milliseconds, once per contest change (decision 018).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { deflateSync } from "node:zlib";
import * as PImage from "pureimage";
import type { Contest } from "~/domain/content/contest";
import { contestDates, roundDates, SHARE_IMAGE_HEIGHT, SHARE_IMAGE_WIDTH, wrapText } from "~/domain/share-card";
import { shareText } from "~/i18n/share.vi";
import { t } from "~/i18n/vi";

const BOLD = "CuocthiCardBold";
const REGULAR = "CuocthiCardRegular";
let fontsLoaded = false;

function fontDir(): string {
  // The package has no entry point; its package.json locates the folder, wherever node_modules is.
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
}

function loadFonts(): void {
  if (fontsLoaded) return;
  const dir = fontDir();
  PImage.registerFont(join(dir, "DejaVuSans-Bold.ttf"), BOLD).loadSync();
  PImage.registerFont(join(dir, "DejaVuSans.ttf"), REGULAR).loadSync();
  fontsLoaded = true;
}

const MARGIN = 72;
const BRAND = "#174c99";
const BAND = "#0f3a78";
const ACCENT = "#fbbf24";

/**
 * The last few cards drawn, by what they show: importing the same contest again (every test's
 * fixture, a re-run of `content:import` after an unrelated change) does not draw it again.
 */
const recent = new Map<string, Buffer>();
const RECENT_MAX = 16;

/**
 * The card, or null when it cannot be drawn (a font missing from a deployment): an import never
 * fails for its picture; the pages then carry a card without an image, and one log line says why.
 */
export function renderShareImage(contest: Pick<Contest, "title" | "timezone" | "rounds" | "practice">): Buffer | null {
  try {
    return cachedShareImage(contest);
  } catch (error) {
    console.warn(`[cuocthi] ảnh chia sẻ không vẽ được: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

function cachedShareImage(contest: Pick<Contest, "title" | "timezone" | "rounds" | "practice">): Buffer {
  const key = JSON.stringify([
    contest.title,
    contest.timezone,
    contest.practice,
    contest.rounds.map((r) => [r.title, r.opensAt, r.closesAt]),
  ]);
  const hit = recent.get(key);
  if (hit) return hit;
  const png = drawShareImage(contest);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(key, png);
  return png;
}

function drawShareImage(contest: Pick<Contest, "title" | "timezone" | "rounds" | "practice">): Buffer {
  loadFonts();
  const W = SHARE_IMAGE_WIDTH;
  const H = SHARE_IMAGE_HEIGHT;
  const image = PImage.make(W, H);
  const ctx = image.getContext("2d");
  fill(image.data, 0, H, BRAND);
  fill(image.data, H - 110, H, BAND);
  ctx.fillStyle = ACCENT;
  ctx.fillRect(MARGIN, 64, 96, 10);

  ctx.fillStyle = "#dbe7fb";
  ctx.font = `30pt ${REGULAR}`;
  ctx.fillText(contest.practice ? `${t.site.name} · ${shareText.share.practice}` : t.site.name, MARGIN, 128);

  // The title as large as fits in four lines.
  const maxWidth = W - 2 * MARGIN;
  let size = 64;
  let lines: string[] = [];
  for (; size >= 40; size -= 6) {
    ctx.font = `${size}pt ${BOLD}`;
    lines = wrapText(contest.title, maxWidth, 4, (s) => ctx.measureText(s).width);
    if (lines.length <= 3 || size <= 40 || !lines[lines.length - 1]!.endsWith("…")) break;
  }
  ctx.fillStyle = "#ffffff";
  let y = 128 + 30 + size * 1.2;
  for (const line of lines) {
    ctx.fillText(line, MARGIN, y);
    y += size * 1.22;
  }

  // The dates: each round when there are few, else the span.
  ctx.fillStyle = "#ffe08a";
  ctx.font = `26pt ${REGULAR}`;
  const rounds = [...contest.rounds].sort((a, b) => a.opensAt - b.opensAt);
  const dateLines =
    rounds.length > 0 && rounds.length <= 2 ? rounds.map((r) => roundDates(r, contest.timezone)) : [contestDates(rounds, contest.timezone)];
  y = Math.max(y + 8, H - 110 - 30 - (dateLines.length - 1) * 40);
  for (const line of dateLines.filter(Boolean)) {
    const [fitted] = wrapText(line, maxWidth, 1, (s) => ctx.measureText(s).width);
    if (fitted && y < H - 120) ctx.fillText(fitted, MARGIN, y);
    y += 40;
  }

  ctx.fillStyle = "#ffffff";
  ctx.font = `28pt ${BOLD}`;
  ctx.fillText(shareText.share.cardBrand, MARGIN, H - 44);
  ctx.font = `24pt ${REGULAR}`;
  const call = shareText.share.cardCall;
  ctx.fillStyle = ACCENT;
  ctx.fillText(call, W - MARGIN - ctx.measureText(call).width, H - 46);

  return encodePng(image.width, image.height, image.data);
}

/** Paints rows [from, to) in one colour directly: much faster than pureimage's per-pixel fillRect. */
function fill(data: Uint8Array, from: number, to: number, hex: string): void {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  for (let i = from * SHARE_IMAGE_WIDTH * 4; i < to * SHARE_IMAGE_WIDTH * 4; i += 4) {
    data[i] = r!;
    data[i + 1] = g!;
    data[i + 2] = b!;
    data[i + 3] = 255;
  }
}

/* ---------- PNG (RGBA, 8 bits) written synchronously: pureimage's encoder is a stream ---------- */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buffer: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    raw[row * (stride + 1)] = 0; // filter: none
    raw.set(rgba.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 6 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
