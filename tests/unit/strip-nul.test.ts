import { PassThrough, type Transform } from "node:stream";
import { text } from "node:stream/consumers";
import { createElement, Suspense } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutTrailingNulBytes } from "~/.server/render/strip-nul.server";

/** A page like a leaderboard: a Suspense boundary and a few kilobytes of Vietnamese text. */
function render(through: Transform): Promise<string> {
  const rows = Array.from({ length: 400 }, (_, i) => createElement("li", { key: i }, `Nguyễn Văn Ánh — Công đoàn cơ sở Đà Lạt số ${i}`));
  const page = createElement(Suspense, null, createElement("ul", null, rows));
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(page, {
      onAllReady() {
        pipe(through);
        text(through).then(resolve, reject);
      },
      onShellError: reject,
    });
  });
}

describe("server-rendered pages carry no U+0000", () => {
  it("React 18 alone leaves NUL bytes at buffer boundaries (the bug this guards against)", async () => {
    expect(await render(new PassThrough())).toContain("\u0000");
  });

  it("the stream the server sends has none, and loses no text", async () => {
    const html = await render(withoutTrailingNulBytes());
    expect(html).not.toContain("\u0000");
    expect(html.match(/<li>/g)).toHaveLength(400);
    expect(html).toContain("Nguyễn Văn Ánh — Công đoàn cơ sở Đà Lạt số 399");
  });
});
