/**
 * Why a change to a contest is refused, in Vietnamese. The same sentence is shown next to the field
 * in the console and after `file:line:` (with the file's key) by `content:import`, so each one names
 * the field in words and says why.
 */
export const contestRuleMessages = {
  closesBeforeOpens: (n: number) => `Vòng ${n}: giờ đóng phải sau giờ mở.`,
  overlap: (a: number, b: number) => `Vòng ${a} và vòng ${b} chồng lên nhau về thời gian: vòng sau phải mở từ lúc vòng trước đóng trở đi.`,
  /** `known`: the banks there are, listed when it helps (the content checker sees them all). */
  unknownBank: (n: number, bank: string, known?: string[]) =>
    `Vòng ${n}: không có bộ câu hỏi “${bank}”${known === undefined ? "" : known.length > 0 ? ` — các bộ hiện có: ${known.map((k) => `“${k}”`).join(", ")}` : " — chưa có bộ câu hỏi nào"}.`,
  quotaTooLarge: (n: number, bank: string, quota: number, size: number) =>
    `Vòng ${n}: lấy ${quota} câu từ bộ “${bank}” nhưng bộ chỉ có ${size} câu — giảm số câu hoặc thêm câu hỏi vào bộ.`,
  quotaSum: (n: number, sum: number, expected: number) =>
    `Vòng ${n}: tổng số câu lấy từ các bộ là ${sum}, phải bằng số câu mỗi bài (${expected}).`,
  quotasLocked: (n: number) => `Vòng ${n} đã mở: không thể đổi bộ câu hỏi hay số câu của vòng này.`,
  opensLocked: (n: number) => `Vòng ${n} đã mở: không thể đổi giờ mở.`,
  closeInPast: (n: number) => `Vòng ${n}: không thể dời giờ đóng về một thời điểm đã qua.`,
  removeOpened: (n: number) => `Vòng ${n} đã mở: không thể xóa.`,
  noQuotas: (n: number) => `Vòng ${n}: chọn ít nhất một bộ câu hỏi.`,

  closedRoundLocked: (n: number, field: "opens" | "closes", closedAt: string) =>
    `Vòng ${n} đã kết thúc lúc ${closedAt}: không thể đổi giờ ${field === "opens" ? "mở" : "đóng"} của vòng đã kết thúc (không mở lại hay dời một vòng đã đóng; kết quả đã được chốt theo giờ đóng này).`,
  cutShort: (n: number, earliest: string, answering: boolean) =>
    `Giờ đóng vòng ${n}: vòng đang mở${answering ? " và có người đang làm bài" : ""}, nên chỉ được dời sớm hơn đến ${earliest} là sớm nhất (bây giờ cộng thời gian làm bài${
      answering ? ", và không trước hạn nộp của người đang làm bài" : ""
    }), để không ai bị cắt ngang khi đang làm bài. Dời muộn hơn thì được.`,

  settingLocked: (label: string, firstOpenedAt: string) =>
    `${label}: không thể đổi sau khi vòng đầu tiên đã mở (lúc ${firstOpenedAt}) — mọi người trong cuộc thi phải thi và được xếp hạng theo cùng một thể lệ.`,
  settingLabels: {
    timeLimitMinutes: "Thời gian làm bài",
    attemptsPerRound: "Số lần thi mỗi vòng",
    questionsPerAttempt: "Số câu mỗi bài",
    prediction: "Câu dự đoán",
    predictionTarget: "Đối tượng của câu dự đoán",
    ranking: "Thứ tự xếp hạng",
    timezone: "Múi giờ",
  },
  prizesBeingFrozen: (n: number, what: "prizes" | "minPrizeScore") =>
    `${what === "prizes" ? "Cơ cấu giải" : "Điểm tối thiểu để nhận giải"}: vòng ${n} vừa kết thúc và đang chốt kết quả theo cơ cấu giải hiện tại — thử lại sau một phút (thay đổi chỉ áp dụng cho các vòng chưa kết thúc).`,
} as const;

/** Form words of the console for the minimum prize score, and what an import audit says. */
export const contestRulesUi = {
  minPrizeScore: "Điểm tối thiểu để nhận giải (để trống: không giới hạn)",
  minPrizeScoreHint: "Bài dưới mức điểm này không nhận giải, kể cả khi xếp hạng cao (ví dụ bài bỏ dở được 0 điểm).",
  badMinPrizeScore: "Nhập một số nguyên từ 0 đến 1000, hoặc để trống.",
  lockedNote: (firstOpenedAt: string) =>
    `Vòng đầu tiên đã mở lúc ${firstOpenedAt}: thời gian làm bài, số lần thi, số câu mỗi bài, câu dự đoán và múi giờ không đổi được nữa. Giờ đóng của vòng đang mở chỉ dời muộn hơn, hoặc sớm hơn nhưng không cắt ngang người đang thi; vòng đã kết thúc không đổi giờ.`,
  /** On the public contest page, under the prize tiers. */
  minPrizeNote: (score: number) => `Giải chỉ trao cho bài đạt từ ${score} điểm trở lên.`,
  closedNote: "Đã kết thúc: giờ mở, giờ đóng, bộ câu hỏi và số câu của vòng này không đổi được nữa.",
} as const;
