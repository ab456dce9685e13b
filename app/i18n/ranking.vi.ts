/** Interface text of the settled ranking rules: shared ranks and the judges' draws (issue 16). */
export const rankingStrings = {
  /** Export note of a tied group whose prizes wait for the judges' draw. */
  drawPendingNote: (rank: string) => `Đồng hạng ${rank} — cần bốc thăm, giải chưa quyết định`,
  /** Export note of a tied member whose prize a recorded draw decided. */
  drawDecidedNote: (rank: string, place: number, size: number, reason: string) =>
    `Đồng hạng ${rank} — bốc thăm: thứ ${place}/${size} (${reason})`,
  undecidedPrize: "Chưa quyết định",
  tiedTitle: "Đồng hạng — cần bốc thăm",
  tiedHint:
    "Những thí sinh này bằng nhau ở mọi tiêu chí xếp hạng và cùng đứng ở ranh giới giải. Hãy bốc thăm công khai rồi ghi kết quả: thứ tự bốc thăm quyết định ai nhận giải nào.",
  tiedGroup: (rank: string, size: number) => `Hạng ${rank} · ${size} thí sinh`,
  drawPlace: "Thứ tự bốc thăm",
  drawPlaceHint: (size: number) => `Điền vào ô cạnh mỗi tên thứ tự bốc được, từ 1 đến ${size}.`,
  drawReason: "Biên bản / lý do (ai bốc, ở đâu)",
  recordDraw: "Ghi kết quả bốc thăm",
  drawsTitle: "Các lần bốc thăm đã ghi",
  drawOrder: (names: string[]) => names.map((n, i) => `${i + 1}. ${n}`).join(" · "),
  drawRecorded: (rank: string) => `Đã ghi kết quả bốc thăm cho nhóm đồng hạng ${rank}.`,
  drawNotPending: "Nhóm đồng hạng này không còn chờ bốc thăm (kết quả có thể đã thay đổi). Hãy tải lại trang.",
  drawWrongMembers: "Danh sách thí sinh không khớp với nhóm đồng hạng. Hãy tải lại trang.",
  drawOrderInvalid: (size: number) => `Hãy điền thứ tự bốc thăm từ 1 đến ${size}, mỗi số một lần.`,
} as const;
