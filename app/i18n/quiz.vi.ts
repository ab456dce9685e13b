/**
 * Strings of the quiz page on a weak link, the result page's notes on who submitted, and the
 * logout confirmation (docs/decisions/007-weak-link-quiz.md).
 */
export const quizVi = {
  progressShort: (answered: number, total: number) => `${answered}/${total} câu`,
  saved: "Đã lưu",
  saving: "Đang lưu…",
  unsaved: "Chưa lưu — sẽ gửi lại khi có mạng",
  rejected: (message: string) => `Không lưu được: ${message}`,
  unsavedShort: (n: number) => `${n} câu chưa lưu`,
  offlineShort: "Mất mạng",
  unsavedBanner: (n: number) => `${n} câu trả lời chưa lưu — máy đang giữ, sẽ tự gửi lại khi có mạng.`,
  signedOut: "Phiên đăng nhập đã hết: hãy đăng nhập lại (mở trang trong thẻ khác) để gửi các câu chưa lưu.",
  offline: "Mất mạng — vẫn làm bài được, câu trả lời sẽ được gửi khi có mạng.",
  notSubmitted:
    "Bài thi CHƯA được nộp: không gửi được vì mất kết nối. Trang giữ nguyên bài làm và dự đoán, và sẽ tự nộp khi có mạng trở lại.",
  submitting: "Đang nộp bài…",
  noJsNote: "Trình duyệt của bạn không chạy JavaScript: câu trả lời được lưu khi bạn bấm Nộp bài, vì vậy hãy nộp trước khi hết giờ.",
  finishedRedirect: "Đang chuyển đến trang kết quả…",
  logoutBottom: "Đăng xuất",
  // The logout confirmation page (/dang-xuat) while an attempt runs.
  logoutTitle: "Đăng xuất khi đang làm bài?",
  logoutRunning: (deadline: string) =>
    `Bạn đang làm dở một bài thi (hạn nộp ${deadline}). Đăng xuất không dừng đồng hồ: nếu không quay lại nộp bài, hệ thống sẽ tự chốt bài lúc hết giờ với các câu đã lưu.`,
  logoutConfirm: "Vẫn đăng xuất",
  backToQuiz: "Quay lại làm bài",
  // The result page.
  byTimer: "Bài thi được tự động nộp khi đồng hồ trên trang về 0, với các câu trả lời đã chọn.",
  byServer: "Hệ thống đã tự chốt bài khi hết giờ (cộng 15 giây dự phòng) vì bài chưa được nộp, với các câu trả lời đã lưu trước hạn.",
  uncountedTitle: "Các câu trả lời không được tính",
  uncountedIntro: "Những lựa chọn sau đã được máy bạn giữ lại nhưng không đến được máy chủ trước hạn (mất mạng), nên không được tính:",
  uncountedLine: (label: string, texts: string[]) => `${label}: ${texts.length > 0 ? texts.join("; ") : "bỏ chọn"}`,
} as const;
