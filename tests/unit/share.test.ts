/** Partner origins, the embed's framing rule, share meta tags, title wrapping and the chart series. */
import { describe, expect, it } from "vitest";
import { embedFrameAncestors, embedSnippet, isEmbedPath, parseEmbedOrigin, parseEmbedOrigins } from "~/domain/embed";
import { parseContest } from "~/domain/content/contest";
import { bucketSize, cumulativeSeries } from "~/domain/participation-chart";
import { contestDates, shareImagePath, shareMeta, wrapText } from "~/domain/share-card";

describe("partner origins", () => {
  it("accepts an https site and gives it as browsers compare it", () => {
    expect(parseEmbedOrigin("https://CongDoan.LamDong.gov.vn")).toEqual({ ok: true, origin: "https://congdoan.lamdong.gov.vn" });
    expect(parseEmbedOrigin(" https://congdoan.lamdong.gov.vn/ ")).toEqual({ ok: true, origin: "https://congdoan.lamdong.gov.vn" });
    expect(parseEmbedOrigin("https://congdoan.lamdong.gov.vn:443")).toEqual({ ok: true, origin: "https://congdoan.lamdong.gov.vn" });
    expect(parseEmbedOrigin("https://tin.example.vn:8443")).toEqual({ ok: true, origin: "https://tin.example.vn:8443" });
    // An international name in the ASCII form browsers send and compare.
    const idn = parseEmbedOrigin("https://côngđoàn.vn");
    expect(idn.ok && idn.origin).toMatch(/^https:\/\/xn--[a-z0-9-]+\.vn$/);
  });

  it("allows plain http only on this machine (a developer or a test)", () => {
    expect(parseEmbedOrigin("http://127.0.0.1:3114")).toEqual({ ok: true, origin: "http://127.0.0.1:3114" });
    expect(parseEmbedOrigin("http://localhost:8080")).toEqual({ ok: true, origin: "http://localhost:8080" });
    const refused = parseEmbedOrigin("http://congdoan.example.vn");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toContain("phải bắt đầu bằng `https://`");
  });

  it("refuses a page address, a wildcard, credentials, other schemes and words, each saying what to write", () => {
    const message = (raw: string) => {
      const r = parseEmbedOrigin(raw);
      return r.ok ? null : r.message;
    };
    expect(message("https://congdoan.lamdong.gov.vn/tin-tuc")).toContain("chỉ ghi tên miền: `https://congdoan.lamdong.gov.vn`");
    expect(message("https://congdoan.lamdong.gov.vn/?a=1")).toContain("chỉ ghi tên miền");
    expect(message("https://congdoan.lamdong.gov.vn#x")).toContain("chỉ ghi tên miền");
    expect(message("https://*.lamdong.gov.vn")).toContain("không dùng ký tự đại diện");
    expect(message("*")).toContain("không dùng ký tự đại diện");
    expect(message("https://user:pass@congdoan.vn")).toContain("không phải địa chỉ trang web");
    expect(message("javascript:alert(1)")).toContain("phải bắt đầu bằng `https://`");
    expect(message("congdoan.lamdong.gov.vn")).toContain("không phải địa chỉ trang web");
    expect(message("https://intranet")).toContain("không phải địa chỉ trang web");
    expect(message("https://a.vn 'unsafe-inline'")).toContain("không phải địa chỉ trang web");
    expect(message("https://a.vn;script-src *")).not.toBeNull();
    expect(message("")).toContain("Dòng trống");
  });

  it("a list: duplicates dropped, each error with the index of its item, at most 50", () => {
    const { origins, errors } = parseEmbedOrigins(["https://a.vn", "https://A.vn/", "ftp://b.vn", "https://c.vn"]);
    expect(origins).toEqual(["https://a.vn", "https://c.vn"]);
    expect(errors.map((e) => e.index)).toEqual([2]);
    const many = parseEmbedOrigins(Array.from({ length: 51 }, (_, i) => `https://s${i}.vn`));
    expect(many.errors).toHaveLength(1);
    expect(many.errors[0]!.message).toContain("Tối đa 50");
  });

  it("frames: this site and the listed partners, nothing else", () => {
    expect(embedFrameAncestors([])).toBe("frame-ancestors 'self'");
    expect(embedFrameAncestors(["https://a.vn", "https://b.vn"])).toBe("frame-ancestors 'self' https://a.vn https://b.vn");
    expect(isEmbedPath("/nhung/thi-thu")).toBe(true);
    expect(isEmbedPath("/nhung/thi-thu/")).toBe(true);
    expect(isEmbedPath("/nhung/thi-thu/xep-hang")).toBe(false);
    expect(isEmbedPath("/cuoc-thi/thi-thu")).toBe(false);
  });

  it("the snippet escapes the title", () => {
    expect(embedSnippet("https://thi.vn", "c1", `Thi "A" <b>`)).toBe(
      `<iframe src="https://thi.vn/nhung/c1" title="Thi &quot;A&quot; &lt;b&gt;" width="100%" height="560" style="border:0;max-width:480px" loading="lazy"></iframe>`,
    );
  });
});

describe("embedOrigins in the contest file", () => {
  const file = (origins: string) => `---
id: thu
title: Thử
timeLimitMinutes: 20
questionsPerAttempt: 2
${origins}rounds:
  - number: 1
    opens: 01/10/2024 07:00
    closes: 08/10/2024 07:00
    banks:
      bo-a: 2
---

Thể lệ.
`;

  it("reads the list, normalised", () => {
    const { contest, errors } = parseContest(
      "content/contests/thu.md",
      file("embedOrigins:\n  - https://CongDoan.vn/\n  - http://127.0.0.1:3114\n"),
    );
    expect(errors).toEqual([]);
    expect(contest!.embedOrigins).toEqual(["https://congdoan.vn", "http://127.0.0.1:3114"]);
  });

  it("gives each bad origin its own line", () => {
    const { contest, errors } = parseContest(
      "content/contests/thu.md",
      file("embedOrigins:\n  - https://congdoan.vn\n  - https://congdoan.vn/tin\n  - https://*.vn\n"),
    );
    expect(contest).toBeNull();
    expect(errors.map((e) => e.line)).toEqual([8, 9]);
    expect(errors[0]!.message).toContain("chỉ ghi tên miền: `https://congdoan.vn`");
    expect(errors[1]!.message).toContain("ký tự đại diện");
  });

  it("refuses a single string instead of a list", () => {
    const { errors } = parseContest("content/contests/thu.md", file("embedOrigins: https://congdoan.vn\n"));
    expect(errors).toEqual([{ file: "content/contests/thu.md", line: 6, message: expect.stringContaining("phải là danh sách") }]);
  });

  it("an absent list is empty", () => {
    expect(parseContest("x.md", file("")).contest!.embedOrigins ?? []).toEqual([]);
  });
});

describe("share meta", () => {
  const base = {
    title: "Thi thử · Cuộc thi trực tuyến",
    description: "Mở từ 00:00 01/10/2024 đến 00:00 09/10/2024. Thi trắc nghiệm trực tuyến trên điện thoại.",
    origin: "https://thi.example.gov.vn",
    path: "/cuoc-thi/thi-thu",
    imagePath: shareImagePath("thi-thu", 1_700_000_000_000),
    imageAlt: "Thẻ giới thiệu",
    siteName: "Cuộc thi trực tuyến",
  };
  const content = (tags: ReturnType<typeof shareMeta>, key: string) =>
    tags.find((t) => ("property" in t && t.property === key) || ("name" in t && t.name === key)) as { content: string } | undefined;

  it("gives Open Graph and Twitter tags with absolute URLs", () => {
    const tags = shareMeta(base);
    expect(tags[0]).toEqual({ title: base.title });
    expect(content(tags, "og:title")?.content).toBe(base.title);
    expect(content(tags, "og:description")?.content).toBe(base.description);
    expect(content(tags, "og:url")?.content).toBe("https://thi.example.gov.vn/cuoc-thi/thi-thu");
    expect(content(tags, "og:image")?.content).toBe(
      `https://thi.example.gov.vn/cuoc-thi/thi-thu/anh-chia-se.png?v=${(1_700_000_000_000).toString(36)}`,
    );
    expect(content(tags, "og:image:width")?.content).toBe("1200");
    expect(content(tags, "og:image:height")?.content).toBe("630");
    expect(content(tags, "twitter:card")?.content).toBe("summary_large_image");
    expect(content(tags, "twitter:image")?.content).toBe(content(tags, "og:image")?.content);
    expect(tags).toContainEqual({ tagName: "link", rel: "canonical", href: "https://thi.example.gov.vn/cuoc-thi/thi-thu" });
  });

  it("without an image: a small card, no image tags; an origin's trailing slash does not double", () => {
    const tags = shareMeta({ ...base, imagePath: null, origin: "https://thi.example.gov.vn/" });
    expect(content(tags, "og:image")).toBeUndefined();
    expect(content(tags, "twitter:card")?.content).toBe("summary");
    expect(content(tags, "og:url")?.content).toBe("https://thi.example.gov.vn/cuoc-thi/thi-thu");
  });

  it("dates: one round's times, or the span of several", () => {
    const tz = "Asia/Ho_Chi_Minh";
    const r = (open: number, close: number) => ({
      title: "V",
      opensAt: Date.UTC(2024, 8, open, 3),
      closesAt: Date.UTC(2024, 8, close, 2, 30),
    });
    expect(contestDates([r(30, 37)], tz)).toBe("Mở từ 10:00 30/09/2024 đến 09:30 07/10/2024");
    expect(contestDates([r(30, 37), r(37, 44), r(44, 51)], tz)).toBe("3 vòng thi, từ 30/09/2024 đến 21/10/2024");
    expect(contestDates([], tz)).toBe("");
  });
});

describe("wrapping the card's title", () => {
  const measure = (s: string) => s.length; // one unit a character

  it("fills lines word by word", () => {
    expect(wrapText("Tìm hiểu Nghị quyết Đại hội X", 12, 4, measure)).toEqual(["Tìm hiểu", "Nghị quyết", "Đại hội X"]);
  });

  it("ends the last kept line with … when the text does not fit", () => {
    const lines = wrapText("một hai ba bốn năm sáu bảy tám", 8, 2, measure);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith("…")).toBe(true);
    expect(lines.every((l) => measure(l) <= 8)).toBe(true);
  });

  it("cuts a word longer than a line", () => {
    expect(wrapText("abcdefghij", 4, 5, measure)).toEqual(["abcd", "efgh", "ij"]);
  });
});

describe("participants over time", () => {
  const HOUR = 3_600_000;
  it("chooses buckets so a chart has at most 60 points", () => {
    expect(bucketSize(0, 24 * HOUR)).toBe(HOUR);
    expect(bucketSize(0, 7 * 24 * HOUR)).toBe(3 * HOUR);
    expect(bucketSize(0, 30 * 24 * HOUR)).toBe(12 * HOUR);
    expect(bucketSize(0, 31 * 24 * HOUR)).toBe(24 * HOUR);
  });

  it("adds up from zero at the open to the total at the end", () => {
    const points = cumulativeSeries(
      0,
      4 * HOUR,
      HOUR,
      new Map([
        [0, 3],
        [2, 5],
        [3, 1],
      ]),
    );
    expect(points).toEqual([
      { at: 0, total: 0 },
      { at: HOUR, total: 3 },
      { at: 2 * HOUR, total: 3 },
      { at: 3 * HOUR, total: 8 },
      { at: 4 * HOUR, total: 9 },
    ]);
  });

  it("ends at `to` even mid-bucket, and counts a late bucket at the end", () => {
    const points = cumulativeSeries(
      0,
      90 * 60_000,
      HOUR,
      new Map([
        [0, 1],
        [5, 2],
      ]),
    );
    expect(points.map((p) => p.at)).toEqual([0, HOUR, 90 * 60_000]);
    expect(points.at(-1)!.total).toBe(3);
  });
});
