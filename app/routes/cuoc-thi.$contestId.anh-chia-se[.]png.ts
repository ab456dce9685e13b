import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/.server/db.server";
import { shareImage } from "~/.server/share.server";
import { t } from "~/i18n/vi";

/**
 * A contest's share card (Open Graph image), stored when the contest was imported or edited. The
 * pages link it with `?v=<version>`: that URL never changes content, so it is cached for a year;
 * without the right version, a short cache and the ETag let a crawler revalidate cheaply.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  // Public file: no guard (the card shows only the title and dates of the public contest page).
  const image = shareImage(getDb(), params.contestId ?? "");
  if (!image) throw new Response(t.errors.notFound, { status: 404, headers: { "Cache-Control": "no-store" } });
  const etag = `"${createHash("sha256").update(image.png).digest("base64url").slice(0, 27)}"`;
  const versioned = new URL(request.url).searchParams.get("v") === image.updatedAt.toString(36);
  const headers = {
    ETag: etag,
    "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=3600",
    "X-Content-Type-Options": "nosniff",
  };
  if (
    request.headers
      .get("If-None-Match")
      ?.split(",")
      .some((tag) => tag.trim().replace(/^W\//, "") === etag)
  ) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(new Uint8Array(image.png), {
    headers: { ...headers, "Content-Type": "image/png", "Content-Length": String(image.png.length) },
  });
}
