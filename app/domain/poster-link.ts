/**
 * The links printed on a branch's QR poster (docs/decisions/017-posters-and-certificates.md).
 *
 * A poster link names the contest and the branch by their codes — the ids organizers write in the
 * content files and in the unit list's “Mã CĐCS” column (or the code made from the name), e.g.
 * `/dk/nghi-quyet-dai-hoi-x/dl-so-tttt` — so it can be read aloud, typed from paper and checked
 * against the list. Nothing else identifies a branch: the code is its primary key.
 */
import { ID_PATTERN } from "./content/errors";

/** The path of the poster link: short, because it is printed under the QR code. */
export const POSTER_PREFIX = "/dk";

export function posterPath(contestId: string, branchId: string): string {
  return `${POSTER_PREFIX}/${contestId}/${branchId}`;
}

export function posterUrl(origin: string, contestId: string, branchId: string): string {
  return `${origin.replace(/\/+$/, "")}${posterPath(contestId, branchId)}`;
}

/** The link as printed under the code: without `https://`, which nobody types. */
export function printedLink(url: string): string {
  return url.replace(/^https?:\/\//, "");
}

/**
 * A code typed or scanned from a poster, as a unit or contest code, or null when it cannot be one.
 * Case does not matter (a link copied from paper may come back in capitals).
 */
export function parseCode(raw: string | null | undefined): string | null {
  if (typeof raw !== "string") return null;
  const code = raw.trim().toLowerCase();
  return ID_PATTERN.test(code) ? code : null;
}

/** The poster link's parts from a path (`/dk/<contest>/<branch>`), or null. */
export function parsePosterPath(path: string): { contestId: string; branchId: string } | null {
  const match = /^\/dk\/([^/?#]+)\/([^/?#]+)\/?$/i.exec(path);
  if (!match) return null;
  const contestId = parseCode(decodeURIComponent(match[1]!));
  const branchId = parseCode(decodeURIComponent(match[2]!));
  return contestId && branchId ? { contestId, branchId } : null;
}

/** The query parameter that carries the poster's branch to the registration form. */
export const VIA_PARAM = "qua";

/** Where a poster link leads: registration with the branch chosen, then the contest page. */
export function registrationFromPoster(contestId: string, branchId: string): string {
  const query = new URLSearchParams({ [VIA_PARAM]: branchId, redirectTo: `/cuoc-thi/${contestId}` });
  return `/dang-ky?${query.toString()}`;
}

/** The poster's branch carried by the registration page's URL or form, or null. */
export function viaBranchFrom(params: URLSearchParams): string | null {
  return parseCode(params.get(VIA_PARAM));
}
