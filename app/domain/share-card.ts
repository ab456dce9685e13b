/**
 * What a link to a contest, round or leaderboard shows when it is pasted into Zalo or Facebook:
 * the Open Graph and Twitter meta tags, and the layout of the share-card image (1200×630).
 * Pure: the origin, the dates and the measuring of text come in as arguments.
 */
import { formatDate, formatDateTime } from "./time";

export const SHARE_IMAGE_WIDTH = 1200;
export const SHARE_IMAGE_HEIGHT = 630;

export interface ShareRound {
  title: string;
  opensAt: number;
  closesAt: number;
}

/** "3 vòng thi, từ 30/09/2024 đến 21/10/2024" or the one round's open and close times. */
export function contestDates(rounds: readonly ShareRound[], timezone: string): string {
  if (rounds.length === 0) return "";
  const first = Math.min(...rounds.map((r) => r.opensAt));
  const last = Math.max(...rounds.map((r) => r.closesAt));
  if (rounds.length === 1) return `Mở từ ${formatDateTime(first, timezone)} đến ${formatDateTime(last, timezone)}`;
  return `${rounds.length} vòng thi, từ ${formatDate(first, timezone)} đến ${formatDate(last, timezone)}`;
}

export function roundDates(round: ShareRound, timezone: string): string {
  return `${round.title}: ${formatDateTime(round.opensAt, timezone)} – ${formatDateTime(round.closesAt, timezone)}`;
}

export interface ShareMetaInput {
  /** The page's own title (as in <title>). */
  title: string;
  description: string;
  /** The site's public origin, `https://thi.example.gov.vn` (no trailing slash). */
  origin: string;
  /** The page's path (and query), starting with `/`. */
  path: string;
  /** The share image's path, or null when the contest has none yet. */
  imagePath: string | null;
  imageAlt: string;
  siteName: string;
}

type MetaTag =
  | { title: string }
  | { name: string; content: string }
  | { property: string; content: string }
  | { tagName: "link"; rel: string; href: string };

/** The meta tags of a shareable page (Remix `meta` descriptors), every URL absolute. */
export function shareMeta(input: ShareMetaInput): MetaTag[] {
  const url = absoluteUrl(input.origin, input.path);
  const tags: MetaTag[] = [
    { title: input.title },
    { name: "description", content: input.description },
    { tagName: "link", rel: "canonical", href: url },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: input.siteName },
    { property: "og:locale", content: "vi_VN" },
    { property: "og:title", content: input.title },
    { property: "og:description", content: input.description },
    { property: "og:url", content: url },
    { name: "twitter:card", content: input.imagePath ? "summary_large_image" : "summary" },
    { name: "twitter:title", content: input.title },
    { name: "twitter:description", content: input.description },
  ];
  if (input.imagePath) {
    const image = absoluteUrl(input.origin, input.imagePath);
    tags.push(
      { property: "og:image", content: image },
      { property: "og:image:type", content: "image/png" },
      { property: "og:image:width", content: String(SHARE_IMAGE_WIDTH) },
      { property: "og:image:height", content: String(SHARE_IMAGE_HEIGHT) },
      { property: "og:image:alt", content: input.imageAlt },
      { name: "twitter:image", content: image },
      { name: "twitter:image:alt", content: input.imageAlt },
    );
  }
  return tags;
}

export function absoluteUrl(origin: string, path: string): string {
  return new URL(path, `${origin.replace(/\/+$/, "")}/`).href;
}

/** The share image's path; `version` changes when the contest (and so the image) does. */
export function shareImagePath(contestId: string, version: number): string {
  return `/cuoc-thi/${contestId}/anh-chia-se.png?v=${version.toString(36)}`;
}

/**
 * Words laid into lines no wider than `maxWidth` (as `measure` says), at most `maxLines`; the last
 * line kept ends with "…" when the text does not fit. A word longer than a line is cut.
 */
export function wrapText(text: string, maxWidth: number, maxLines: number, measure: (s: string) => number): string[] {
  const queue = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = "";
  let truncated = false;
  while (queue.length > 0) {
    const word = queue.shift()!;
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate) <= maxWidth) {
      current = candidate;
      continue;
    }
    if (current) {
      lines.push(current);
      current = "";
      queue.unshift(word);
    } else {
      // One word wider than a line: cut it where it fits, the rest starts the next line.
      let n = word.length - 1;
      while (n > 1 && measure(word.slice(0, n)) > maxWidth) n--;
      lines.push(word.slice(0, n));
      queue.unshift(word.slice(n));
    }
    if (lines.length === maxLines) {
      truncated = queue.length > 0;
      break;
    }
  }
  if (current) lines.push(current);
  if (truncated) {
    let last = lines[lines.length - 1]!;
    while (last.length > 1 && measure(`${last}…`) > maxWidth) last = last.slice(0, -1).trimEnd();
    lines[lines.length - 1] = `${last}…`;
  }
  return lines;
}
