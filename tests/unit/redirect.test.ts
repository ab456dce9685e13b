import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/domain/redirect";

describe("safeRedirect", () => {
  it.each(["/a?b=1", "/", "/cuoc-thi/thi-thu/vong/1", "/bai-thi/abc#cau-2"])("keeps the site path %s", (to) => {
    expect(safeRedirect(to)).toBe(to);
  });

  it.each([
    ["a protocol-relative URL", "//evil.com"],
    ["an absolute URL", "https://evil.com"],
    ["a backslash trick", "/\\evil"],
    ["a backslash later in the path", "/a\\b"],
    ["javascript:", "javascript:x"],
    ["a relative path", "evil"],
    ["a control character", "/a\nb"],
    ["an empty string", ""],
  ])("refuses %s", (_label, to) => {
    expect(safeRedirect(to)).toBe("/");
  });

  it("falls back for null and undefined, and to the given fallback", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect("//evil.com", "/tai-khoan")).toBe("/tai-khoan");
  });
});
