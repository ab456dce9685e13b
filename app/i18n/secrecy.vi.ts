/**
 * Strings of the answer-key secrecy, score visibility and practice contests
 * (docs/decisions/005-answer-key-secrecy.md).
 */
export const secrecyStrings = {
  keyHidden: "Đáp án sẽ công bố sau khi kết thúc các vòng thi còn dùng câu này",
  keyHiddenUntil: (when: string) => `Đáp án sẽ công bố sau khi kết thúc các vòng thi còn dùng câu này (từ ${when}).`,
  reviewIntroHidden:
    "Bạn xem lại được các lựa chọn của mình. Đáp án đúng và lời giải thích của một câu chỉ công bố khi không còn vòng thi nào (kể cả vòng thi thử) có thể hỏi câu đó.",
  answered: "Đã trả lời",
  scoreHidden: "Chưa công bố",
  scoreLater: (when: string) => `Điểm và số câu đúng sẽ hiển thị sau khi vòng thi đóng (từ ${when}).`,
  scoreHiddenShort: "điểm công bố sau khi vòng thi đóng",
  practiceBadge: "Thi thử",
  /** Content checker and editor: `file:line: ` is added by the caller. */
  practiceWithPrizes:
    "cuộc thi thử (`practice: true`) không xét giải — bỏ khóa `prizes`, hoặc đặt `practice: false` nếu đây là cuộc thi thật.",
  practiceNote: "Đây là cuộc thi thử: không xét giải, bảng xếp hạng chỉ để tham khảo.",
  /** The organizer's contest editor. */
  editor: {
    reviewAfter: "Công bố đáp án",
    reviewAfterOptions: {
      "questions-unused": "Khi không còn vòng thi nào dùng câu hỏi (mặc định)",
      "contest-end": "Chỉ khi vòng cuối của cuộc thi này kết thúc",
    },
    showScore: "Hiện điểm cho người thi",
    showScoreOptions: {
      immediately: "Ngay khi nộp bài (mặc định)",
      "after-close": "Sau khi vòng thi đóng",
    },
    showScoreHint:
      "Hiện điểm ngay khi nộp, trong lúc vòng thi còn mở, cho phép người dùng nhiều tài khoản dò ra đáp án; chọn “sau khi vòng thi đóng” để tránh.",
    practice: "Cuộc thi thử (không xét giải, không xếp giải)",
    badChoice: "Giá trị này không có trong danh sách: hãy chọn một trong các lựa chọn có sẵn.",
    practiceWithPrizes: "Cuộc thi thử không xét giải: hãy xóa các hạng giải, hoặc bỏ chọn “Cuộc thi thử”.",
    practiceHint:
      "Thi thử dùng chung bộ câu hỏi với cuộc thi thật sẽ không công bố đáp án khi vòng thật còn mở; hãy cho thi thử một bộ câu hỏi riêng để công bố được đáp án.",
  },
};
