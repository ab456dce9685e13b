/**
 * Where to go after logging in: only a path on this site. Anything else (another site, a
 * protocol-relative `//evil.example`, a backslash trick) falls back to the home page.
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\") || to.includes("\\")) return fallback;
  // eslint-disable-next-line no-control-regex -- a control character in a path is refused
  if (/[\u0000-\u001f]/.test(to)) return fallback;
  return to;
}
