/**
 * Word (.docx) import and export of question banks: the messages of the converter and the labels
 * of the console, in Vietnamese. A converter message names the question as the author numbered it
 * in Word ("Câu 12: …"), so it can be found in the Word file as well as in the editor.
 */
const letters = (list: readonly string[]) => list.join(", ");

export const docxMessages = {
  // The converter: every doubt is one of these, never a silent guess.
  noMark: (label: string) =>
    `${label}: không thấy đáp án đúng — in đậm hoặc gạch chân chữ cái của đáp án đúng, hoặc thêm dòng «Đáp án: B» sau các lựa chọn; trong ô soạn thảo, đổi \`- [ ]\` của đáp án đúng thành \`- [x]\`.`,
  twoMarks: (label: string, marked: readonly string[]) =>
    `${label}: có ${marked.length} đáp án được đánh dấu (${letters(marked)}) mà không ghi «Nhiều đáp án: có» — nếu câu thật sự có nhiều đáp án đúng, thêm dòng \`Nhiều đáp án: có\`; nếu không, chỉ để lại một \`- [x]\`.`,
  disagree: (label: string, first: string, firstLetters: readonly string[], second: string, secondLetters: readonly string[]) =>
    `${label}: ${first} ghi ${letters(firstLetters)} nhưng ${second} ghi ${letters(secondLetters)} — chưa chọn đáp án nào; sửa \`- [ ]\` của đáp án đúng thành \`- [x]\` (và sửa lại tệp Word cho khớp).`,
  bySource: { format: "chữ in đậm/gạch chân/tô màu", line: "dòng «Đáp án»", table: "bảng đáp án cuối tệp" },
  missingLetter: (label: string, text: string) =>
    `${label}: dòng «${text}» nằm giữa các lựa chọn nhưng không bắt đầu bằng chữ cái A., B., … — thêm chữ cái nếu đó là một lựa chọn (trong ô soạn thảo: \`- [ ] …\`), hoặc chuyển nó lên nội dung câu hỏi.`,
  skippedLetter: (label: string, expected: string, found: string) =>
    `${label}: sau lựa chọn trước đó phải là ${expected}. nhưng gặp ${found}. — kiểm tra xem có thiếu lựa chọn ${expected} không.`,
  answerUnknownLetter: (label: string, letter: string) =>
    `${label}: đáp án ${letter} không có trong các lựa chọn của câu — sửa lại đáp án.`,
  answerForMissingQuestion: (number: number) =>
    `bảng đáp án có câu ${number} nhưng tệp không có câu ${number} — kiểm tra lại số câu trong bảng đáp án.`,
  duplicateNumber: (label: string) =>
    `${label} xuất hiện hai lần trong cùng một phần — đánh số lại để mỗi câu có một số riêng (mã câu hỏi được tạo từ số câu).`,
  image: (label: string, count: number) =>
    `${label}: có ${count === 1 ? "một hình ảnh" : `${count} hình ảnh`} — bộ câu hỏi chưa hỗ trợ hình ảnh nên hình đã bị bỏ; nếu câu hỏi cần hình để trả lời, hãy viết lại câu hỏi bằng lời hoặc bỏ câu này.`,
  imageOutside: (count: number) =>
    `có ${count === 1 ? "một hình ảnh" : `${count} hình ảnh`} ngoài các câu hỏi (phần đầu tệp) — hình ảnh không được hỗ trợ và đã bị bỏ.`,
  groups: (names: readonly string[]) =>
    `tệp chia thành ${names.length} phần (${names.join("; ")}) — bộ câu hỏi không chia phần: các câu được giữ theo thứ tự, tên phần bị bỏ. Muốn mỗi vòng thi lấy số câu riêng cho từng phần, hãy tách mỗi phần thành một tệp (một bộ câu hỏi).`,
  noQuestions:
    "không tìm thấy câu hỏi nào — mỗi câu phải bắt đầu bằng «Câu 1.», «Bài 1.», «Question 1.» hoặc «1.», các lựa chọn bắt đầu bằng «A.», «B.», … (xem hướng dẫn).",
  pinnedGuess: (label: string, text: string) =>
    `${label}: lựa chọn «${text}» được giữ cố định ở vị trí của nó khi xáo trộn (\`{cố định}\`) — xóa \`{cố định}\` nếu không muốn vậy.`,
  questionLabel: (number: number, group: string | null) => (group ? `${group}, câu ${number}` : `Câu ${number}`),

  // Reading the file.
  notDocx:
    "Tệp không phải tệp Word .docx (hoặc bị hỏng). Hãy mở tệp bằng Word và lưu lại dạng «Word Document (*.docx)»; tệp .doc cũ không đọc được.",
  docxTooLarge: (megabytes: string) => `Tệp Word quá lớn (tối đa ${megabytes} MB). Hãy bỏ bớt hình ảnh hoặc tách thành nhiều tệp.`,
  wrongType: "Chỉ nhận tệp .md (markdown) hoặc .docx (Word).",

  // The console.
  convertedTitle: (count: number) => `Chuyển từ Word: ${count} điều cần xem lại`,
  convertedIntro:
    "Tệp Word đã được chuyển thành nội dung dưới đây, chưa nạp gì. Sửa các điểm được nêu trong ô soạn thảo, bấm Kiểm tra, rồi Nạp vào hệ thống.",
  convertedClean: (count: number) =>
    `Đã chuyển tệp Word: ${count} câu hỏi, không có gì cần xem lại. Kiểm tra bản xem trước rồi bấm Nạp vào hệ thống.`,
  errorTag: "lỗi",
  warningTag: "cảnh báo",
  downloadWord: "Tải về (.docx, có đáp án)",
  paperLink: (round: string) => `Đề in: ${round}`,

  // The exported document.
  answerTableTitle: "BẢNG ĐÁP ÁN",
  answerTableQuestion: "Câu",
  answerTableAnswer: "Đáp án",
  bankIdLabel: "Mã bộ câu hỏi",
  topicLabel: "Chủ đề",
  sourceLabel: "Nguồn",
  questionIdLabel: "Mã câu hỏi",
  explanationLabel: "Giải thích",
  pointsLabel: "Điểm",
  multipleLabel: "Nhiều đáp án",
  multipleYes: "có",
  paperMultiple: "(Chọn tất cả các đáp án đúng)",
  paperHeading: (contest: string) => contest,
  paperSubheading: (round: string, count: number, minutes: number) => `${round} — ${count} câu hỏi, thời gian làm bài ${minutes} phút`,
  paperInstructions: "Khoanh tròn chữ cái của đáp án đúng.",
  paperNoBanks: "Vòng thi chưa có bộ câu hỏi nào.",
  paperBankMissing: (bankId: string) => `Bộ câu hỏi ${bankId} chưa được nạp.`,
  paperNotEnough: (bankId: string, wanted: number, available: number) =>
    `Bộ câu hỏi ${bankId} chỉ có ${available} câu, vòng thi lấy ${wanted} câu.`,

  // The command line.
  cliUsage: "Cách dùng: npm run content:convert -- <tệp.docx> [tệp-ra.md]",
  cliWritten: (file: string, questions: number) => `Đã ghi ${file} (${questions} câu hỏi).`,
  cliSummary: (errors: number, warnings: number) =>
    `${errors} lỗi, ${warnings} cảnh báo khi chuyển — sửa trong tệp .md rồi chạy npm run content:check.`,
};
