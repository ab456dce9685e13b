/**
 * Issue 11 (posters and certificates), the pure parts: the poster link (built, printed, parsed
 * back), the contest file's `certificate: signers:` (parsed with file:line errors, written back),
 * the console's signer lines, who gets a certificate when, and what it says.
 */
import { describe, expect, it } from "vitest";
import {
  certificateText,
  parseSignerLines,
  participationRefusal,
  signerLines,
  winnerCertificatesRefusal,
  type CertificateInput,
} from "~/domain/certificates";
import { parseContest, serializeContest } from "~/domain/content/contest";
import {
  parseCode,
  parsePosterPath,
  posterPath,
  posterUrl,
  printedLink,
  registrationFromPoster,
  viaBranchFrom,
} from "~/domain/poster-link";
import { formatLocalDateTime } from "~/domain/time";

describe("the poster link", () => {
  it("names the contest and the branch by their readable codes, short enough to print", () => {
    expect(posterPath("nghi-quyet-dai-hoi-x", "dl-so-tttt")).toBe("/dk/nghi-quyet-dai-hoi-x/dl-so-tttt");
    const url = posterUrl("https://thi.congdoan.vn/", "nghi-quyet-dai-hoi-x", "dl-so-tttt");
    expect(url).toBe("https://thi.congdoan.vn/dk/nghi-quyet-dai-hoi-x/dl-so-tttt");
    expect(printedLink(url)).toBe("thi.congdoan.vn/dk/nghi-quyet-dai-hoi-x/dl-so-tttt");
  });

  it("reads back what it built, whatever the case, and nothing that is not a code", () => {
    expect(parsePosterPath(posterPath("c1", "dl-so-tttt"))).toEqual({ contestId: "c1", branchId: "dl-so-tttt" });
    expect(parsePosterPath("/DK/C1/DL-SO-TTTT/")).toEqual({ contestId: "c1", branchId: "dl-so-tttt" });
    expect(parsePosterPath("/dk/c1")).toBeNull();
    expect(parsePosterPath("/dk/c1/dl so")).toBeNull();
    expect(parsePosterPath("/dk/c1/..%2Fadmin")).toBeNull();
    expect(parseCode(" Dl-Ubnd ")).toBe("dl-ubnd");
    expect(parseCode("42")).toBe("42");
    expect(parseCode("-x")).toBeNull();
    expect(parseCode("x".repeat(41))).toBeNull();
    expect(parseCode(null)).toBeNull();
  });

  it("leads to registration with the branch chosen, then to the contest page", () => {
    const path = registrationFromPoster("c1", "dl-ubnd");
    const url = new URL(path, "http://x");
    expect(url.pathname).toBe("/dang-ky");
    expect(viaBranchFrom(url.searchParams)).toBe("dl-ubnd");
    expect(url.searchParams.get("redirectTo")).toBe("/cuoc-thi/c1");
    expect(viaBranchFrom(new URLSearchParams("qua=<script>"))).toBeNull();
    expect(viaBranchFrom(new URLSearchParams(""))).toBeNull();
  });
});

const FILE = "content/contests/thu.md";

function contestFile(extra: string[]): string {
  return [
    "---",
    "id: thu",
    "title: Thử",
    "timeLimitMinutes: 20",
    "questionsPerAttempt: 5",
    ...extra,
    "rounds:",
    "  - number: 1",
    "    opens: 30/09/2024 10:00",
    "    closes: 07/10/2024 09:30",
    "    banks:",
    "      bo-a: 5",
    "---",
    "",
    "Thể lệ.",
  ].join("\n");
}

describe("certificate signers in the contest file", () => {
  it("reads them in order, and writes them back the same", () => {
    const text = contestFile([
      "certificate:",
      "  signers:",
      "    - title: TM. BAN TỔ CHỨC",
      "      name: Nguyễn Văn Thành",
      "    - title: TRƯỞNG BAN GIÁM KHẢO",
      "      name: Trần Thị Lệ Hằng",
    ]);
    const { contest, errors } = parseContest(FILE, text);
    expect(errors).toEqual([]);
    expect(contest!.certificateSigners).toEqual([
      { title: "TM. BAN TỔ CHỨC", name: "Nguyễn Văn Thành" },
      { title: "TRƯỞNG BAN GIÁM KHẢO", name: "Trần Thị Lệ Hằng" },
    ]);
    const again = parseContest(
      FILE,
      serializeContest(contest!, (t) => formatLocalDateTime(t, contest!.timezone)),
    );
    expect(again.errors).toEqual([]);
    expect(again.contest!.certificateSigners).toEqual(contest!.certificateSigners);
  });

  it("is optional: no block, no signers, and nothing written back", () => {
    const { contest } = parseContest(FILE, contestFile([]));
    expect(contest!.certificateSigners ?? []).toEqual([]);
    expect(serializeContest(contest!, String)).not.toContain("certificate");
  });

  it("refuses a malformed block with the line and how to fix it", () => {
    const missingName = contestFile(["certificate:", "  signers:", "    - title: TM. BAN TỔ CHỨC"]);
    const a = parseContest(FILE, missingName).errors;
    expect(a).toHaveLength(1);
    expect(a[0]!.line).toBe(8); // the signer's entry, which lacks its name
    expect(a[0]!.message).toContain("name");

    const typo = contestFile(["certificate:", "  signer:", "    - title: A"]);
    const b = parseContest(FILE, typo).errors;
    expect(b[0]!.line).toBe(7);
    expect(b[0]!.message).toContain("signers");

    const five = contestFile([
      "certificate:",
      "  signers:",
      ...Array.from({ length: 5 }, (_, i) => [`    - title: Chức ${i}`, `      name: Người ${i}`]).flat(),
    ]);
    const c = parseContest(FILE, five).errors;
    expect(c).toHaveLength(1);
    expect(c[0]!.message).toContain("tối đa 4");
    expect(c[0]!.line).toBe(7);
  });
});

describe("the console's signer lines", () => {
  it("reads `title | name` a line, skipping blank lines, and writes them back", () => {
    const parsed = parseSignerLines("TM. BAN TỔ CHỨC | Nguyễn  Văn Thành\n\n  Giám khảo|Lê Văn Cường  \r\n");
    expect(parsed).toEqual({
      signers: [
        { title: "TM. BAN TỔ CHỨC", name: "Nguyễn Văn Thành" },
        { title: "Giám khảo", name: "Lê Văn Cường" },
      ],
    });
    expect(signerLines((parsed as { signers: { title: string; name: string }[] }).signers)).toBe(
      "TM. BAN TỔ CHỨC | Nguyễn Văn Thành\nGiám khảo | Lê Văn Cường",
    );
    expect(parseSignerLines("")).toEqual({ signers: [] });
  });

  it("says which line is wrong and why", () => {
    expect(parseSignerLines("A | B\nchỉ có tên")).toEqual({ error: expect.stringContaining("Dòng 2") });
    expect(parseSignerLines("A | B | C")).toEqual({ error: expect.stringContaining("Dòng 1") });
    expect(parseSignerLines(`A | ${"x".repeat(81)}`)).toEqual({ error: expect.stringContaining("tối đa 80") });
    expect(parseSignerLines("a|b\nc|d\ne|f\ng|h\ni|j")).toEqual({ error: expect.stringContaining("Tối đa 4") });
  });
});

describe("who gets a certificate, and when", () => {
  const closed = { opensAt: 0, closesAt: 1000, resultsComputedAt: 2000, practice: false };
  it("gives the winners' certificates once the round has closed, its results are stored and every prize is decided", () => {
    expect(winnerCertificatesRefusal(closed, 3000, 0)).toBeNull();
    expect(winnerCertificatesRefusal(closed, 999, 0)).toBe("not-closed");
    expect(winnerCertificatesRefusal({ ...closed, resultsComputedAt: null }, 3000, 0)).toBe("not-frozen");
    expect(winnerCertificatesRefusal(closed, 3000, 1)).toBe("draw-pending");
    expect(winnerCertificatesRefusal({ ...closed, practice: true }, 3000, 0)).toBe("practice");
  });

  it("gives a member a certificate of participation for a closed round whose results rank them, practice too", () => {
    expect(participationRefusal(closed, 3000, true)).toBeNull();
    expect(participationRefusal({ ...closed, practice: true }, 3000, true)).toBeNull();
    expect(participationRefusal(closed, 3000, false)).toBe("not-ranked");
    expect(participationRefusal(closed, 500, true)).toBe("not-closed");
    expect(participationRefusal({ ...closed, resultsComputedAt: null }, 3000, true)).toBe("not-frozen");
  });
});

describe("what a certificate says", () => {
  const input: CertificateInput = {
    kind: "winner",
    fullName: "Nguyễn Thị Hồng Nhung",
    branchName: "Công đoàn Sở Y tế",
    districtName: "Thành phố Đà Lạt",
    prize: "Giải Nhất",
    score: 20,
    maxScore: 20,
    contestTitle: "Tìm hiểu Nghị quyết",
    practice: false,
    roundTitle: "Tuần thứ nhất",
    opensAt: Date.UTC(2024, 8, 30, 3, 0),
    closesAt: Date.UTC(2024, 9, 7, 2, 30),
    timezone: "Asia/Ho_Chi_Minh",
    signers: [{ title: "TM. BAN TỔ CHỨC", name: "Nguyễn Văn Thành" }],
  };
  it("names the winner, the unit, the prize and round, the contest, and dates it at the round's close (contest time)", () => {
    const c = certificateText(input);
    expect(c.name).toBe("Nguyễn Thị Hồng Nhung");
    expect(c.unit).toBe("Công đoàn Sở Y tế, Thành phố Đà Lạt");
    expect(c.reason).toBe("Đã đạt Giải Nhất — Tuần thứ nhất");
    expect(c.score).toBeNull();
    expect(c.contest).toBe("Cuộc thi “Tìm hiểu Nghị quyết”");
    expect(c.roundDates).toBe("Từ 10:00 30/09/2024 đến 09:30 07/10/2024");
    expect(c.date).toBe("Ngày 07 tháng 10 năm 2024");
    expect(c.signers).toEqual(input.signers);
  });

  it("states participation with the score, and marks practice", () => {
    const c = certificateText({ ...input, kind: "participation", prize: null, score: 15 });
    expect(c.reason).toBe("Đã tham gia Tuần thứ nhất");
    expect(c.score).toBe("Kết quả: 15/20 điểm");
    expect(certificateText({ ...input, kind: "participation", prize: null, practice: true }).reason).toContain("thi thử");
  });
});
