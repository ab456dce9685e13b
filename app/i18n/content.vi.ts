/**
 * The messages of the content checker, in Vietnamese: each says what is wrong and how to fix it,
 * for an organizer who is not a programmer. `file:line: ` is added by the caller.
 */
const code = (s: string | number) => `\`${s}\``;

export const contentMessages = {
  readFailed: (reason: string) => `không đọc được tệp (${reason}).`,
  notUtf8: "tệp không phải văn bản UTF-8 — hãy lưu lại tệp với bảng mã UTF-8.",
  frontMatterMissing:
    "tệp phải bắt đầu bằng dòng `---`, tiếp theo là phần đầu (id, title, …) và một dòng `---` nữa — xem content/README.md.",
  frontMatterUnclosed: "phần đầu mở bằng `---` nhưng không có dòng `---` đóng lại — thêm một dòng chỉ có `---` sau khóa cuối cùng.",
  yamlTab: "dòng này thụt lề bằng phím tab — trong phần đầu chỉ thụt lề bằng dấu cách.",
  yamlDuplicateKey: (key: string) => `khóa ${code(key)} được ghi hai lần — giữ một dòng, xóa dòng kia.`,
  yamlColonInValue: (key: string) =>
    `giá trị của ${code(key)} có dấu hai chấm — đặt giá trị trong dấu ngoặc kép, ví dụ \`${key}: "Chuyển đổi số: con đường phía trước"\`.`,
  yamlUnclosed: "dấu ngoặc mở ở dòng này chưa được đóng — mỗi dấu `\"`, `'`, `[` hay `{` phải có dấu đóng tương ứng trên cùng dòng.",
  yamlSpecialStart: (key: string) => `giá trị của ${code(key)} bắt đầu bằng một ký tự đặc biệt — đặt giá trị trong dấu ngoặc kép.`,
  yamlIndent:
    "dòng này thụt lề sai — các khóa cùng cấp phải thẳng cột; chỉ thụt vào (bằng dấu cách) các dòng thuộc khóa ở trên (như các bộ câu hỏi dưới `banks:`).",
  yamlLine: "dòng này không đúng dạng `khóa: giá trị` — kiểm tra dấu hai chấm, dấu ngoặc và thụt lề.",
  yamlAliases: "phần đầu dùng tham chiếu YAML (`&tên`, `*tên`) lồng nhau quá nhiều — viết giá trị ra trực tiếp, không dùng `&` và `*`.",
  frontMatterNotMap: "phần đầu phải là các dòng `khóa: giá trị`.",
  unknownKey: (key: string, known: string[]) => `khóa ${code(key)} không được hỗ trợ — các khóa dùng được: ${known.map(code).join(", ")}.`,
  missingKey: (key: string, example: string) => `thiếu khóa ${code(key)} — thêm dòng \`${example}\`.`,
  badId: (what: string, value: string) =>
    `${what} ${code(value)} không hợp lệ — chỉ dùng chữ thường không dấu, số và dấu gạch ngang, bắt đầu bằng chữ hoặc số (ví dụ ${code("chuyen-doi-so")}).`,
  notText: (key: string) => `${code(key)} phải là một dòng chữ.`,
  emptyText: (key: string) => `${code(key)} không được để trống.`,
  notInteger: (key: string, min: number, max: number) => `${code(key)} phải là số nguyên từ ${min} đến ${max}.`,
  notBoolean: (key: string) => `${code(key)} phải là \`true\` (có) hoặc \`false\` (không).`,
  notOneOf: (key: string, allowed: string[]) => `${code(key)} phải là một trong: ${allowed.map(code).join(", ")}.`,

  // banks
  duplicateBankId: (id: string, otherFile: string) =>
    `mã bộ câu hỏi ${code(id)} đã được dùng trong ${otherFile} — đặt một mã khác cho một trong hai bộ.`,
  bankHasNoQuestions: "bộ câu hỏi chưa có câu hỏi nào — mỗi câu hỏi bắt đầu bằng một dòng `## mã-câu-hỏi`.",
  badQuestionId: (value: string) =>
    `mã câu hỏi ${code(value)} không hợp lệ — viết \`## mã-câu-hỏi\`: chữ thường không dấu, số, dấu gạch ngang, tối đa 40 ký tự (ví dụ ${code("cds-001")}).`,
  duplicateQuestionId: (id: string, line: number) => `mã câu hỏi ${code(id)} đã dùng ở dòng ${line} — mỗi câu hỏi cần một mã riêng.`,
  otherHeading: "tiêu đề này không phải câu hỏi — mỗi câu hỏi bắt đầu bằng `## mã-câu-hỏi` (đúng hai dấu #).",
  emptyStem: (id: string) =>
    `câu ${code(id)} chưa có nội dung câu hỏi — viết câu hỏi ở các dòng ngay dưới \`## ${id}\`, trước các lựa chọn.`,
  noOptions: (id: string) =>
    `câu ${code(id)} chưa có lựa chọn nào — mỗi lựa chọn một dòng, bắt đầu bằng \`- [ ]\` (sai) hoặc \`- [x]\` (đúng).`,
  tooFewOptions: (id: string) => `câu ${code(id)} chỉ có 1 lựa chọn — cần từ 2 đến 8 lựa chọn.`,
  tooManyOptions: (id: string, count: number) => `câu ${code(id)} có ${count} lựa chọn — tối đa 8; hãy bỏ bớt ${count - 8} lựa chọn.`,
  noCorrectOption: (id: string) => `câu ${code(id)} chưa có đáp án đúng — đánh dấu đáp án đúng bằng \`- [x]\`.`,
  multipleCorrectNotDeclared: (id: string, count: number) =>
    `câu ${code(id)} có ${count} đáp án đúng (\`[x]\`) — nếu đúng là câu nhiều đáp án, thêm dòng \`Nhiều đáp án: có\` sau các lựa chọn; nếu không, chỉ giữ một \`[x]\`.`,
  emptyOption: "lựa chọn để trống — viết nội dung sau `- [ ]` hoặc `- [x]`, hoặc xóa dòng này.",
  duplicateOption: (line: number) => `lựa chọn này trùng với lựa chọn ở dòng ${line} — mỗi lựa chọn phải khác nhau.`,
  malformedCheckbox: "ô đánh dấu viết sai — dùng `- [ ]` (có một dấu cách giữa hai ngoặc) cho đáp án sai hoặc `- [x]` cho đáp án đúng.",
  bulletWithoutCheckbox: "dòng này giống một lựa chọn nhưng thiếu ô đánh dấu — viết `- [ ] …` (sai) hoặc `- [x] …` (đúng).",
  textAfterOptions:
    "dòng này đứng sau các lựa chọn nhưng không bắt đầu bằng `Giải thích:`, `Nguồn:`, `Điểm:` hay `Nhiều đáp án:` — nếu là một phần của lựa chọn, hãy viết trên cùng dòng với lựa chọn đó.",
  optionAfterDetails: "lựa chọn phải đứng trước các dòng `Giải thích:`, `Nguồn:`, `Điểm:` — chuyển dòng này lên cùng các lựa chọn khác.",
  detailBeforeOptions: (key: string) =>
    `\`${key}:\` đứng trước các lựa chọn — chuyển dòng này xuống dưới các lựa chọn \`- [ ]\` / \`- [x]\`.`,
  textOutsideQuestion: "dòng này nằm ngoài câu hỏi — bắt đầu câu hỏi bằng `## mã-câu-hỏi`.",
  duplicateDetail: (key: string, line: number) => `\`${key}:\` đã có ở dòng ${line} — mỗi câu chỉ ghi một lần.`,
  emptyDetail: (key: string) => `\`${key}:\` để trống — viết nội dung sau dấu hai chấm, hoặc xóa dòng.`,
  badPoints: (value: string) => `\`Điểm: ${value}\` không hợp lệ — điểm là số nguyên từ 1 đến 100.`,
  questionHeadingLevel: (hashes: string, id: string) =>
    `tiêu đề câu hỏi \`${hashes} ${id}\` có ${hashes.length} dấu # — viết \`## ${id}\` (đúng hai dấu #). Câu hỏi vẫn được đọc để kiểm tra tiếp.`,
  continuationLooksLikeKey: (label: string, detail: string) =>
    `dòng \`${label}: …\` nằm ngay sau \`${detail}:\` nên sẽ bị ghép vào ${detail === "Nguồn" ? "nguồn" : "lời giải thích"} mà người thi đọc được. Nếu là ghi chú nội bộ, hãy xóa dòng; nếu là phần tiếp của ${detail === "Nguồn" ? "nguồn" : "lời giải thích"}, hãy thụt đầu dòng bằng hai dấu cách (hoặc viết liền vào dòng trên).`,
  continuationMisspelledKey: (label: string, key: string, detail: string) =>
    `dòng \`${label}: …\` nằm ngay sau \`${detail}:\` nên sẽ bị ghép vào đó — có phải ý bạn là \`${key}:\`? Viết đúng \`${key}:\` (có dấu) trên một dòng riêng.`,
  misspelledDetailKey: (label: string, key: string) =>
    `\`${label}:\` không phải khóa được hỗ trợ — có phải ý bạn là \`${key}:\`? Viết đúng \`${key}:\` (có dấu).`,
  pinnedNearMiss: (written: string) =>
    `\`${written}\` được hiểu là đánh dấu cố định — viết đúng \`{cố định}\` (chữ thường, có dấu, một dấu cách) ở cuối dòng lựa chọn.`,
  multipleWithOneCorrect:
    "`Nhiều đáp án: có` nhưng câu chỉ có một `[x]` — nếu câu có nhiều đáp án đúng, đánh dấu đủ các đáp án bằng `[x]`; nếu không, xóa dòng này.",
  stemTooLong: (id: string, length: number, max: number) =>
    `nội dung câu ${code(id)} dài ${length} ký tự (nên dưới ${max}) — người thi khó đọc trên điện thoại; hãy rút gọn.`,
  optionTooLong: (length: number, max: number) => `lựa chọn dài ${length} ký tự (nên dưới ${max}) — hãy rút gọn.`,
  badMultiple: (value: string) => `\`Nhiều đáp án: ${value}\` không hợp lệ — viết \`Nhiều đáp án: có\` hoặc \`Nhiều đáp án: không\`.`,

  // lint across banks (warnings)
  sameQuestion: (id: string, otherId: string, otherFile: string, otherLine: number, how: "stem" | "answer") =>
    `câu ${code(id)} ${how === "stem" ? "có cùng nội dung câu hỏi với" : "hỏi lại điều (cùng đáp án) của"} câu ${code(otherId)} ở ${otherFile}:${otherLine} — một vòng thi lấy từ cả hai bộ có thể hỏi một người hai lần cùng một điều; bỏ hoặc thay một trong hai câu.`,
  stemGivesAway: (id: string, answer: string, otherId: string, otherFile: string, otherLine: number) =>
    `nội dung câu ${code(id)} có chứa “${answer}”, là đáp án của câu ${code(otherId)} ở ${otherFile}:${otherLine} — người thi gặp cả hai câu sẽ biết đáp án; viết lại câu hỏi cho khỏi lộ đáp án.`,
  roundScoreVaries: (round: number, bankId: string, bankFile: string, min: number, max: number, fix: string) =>
    `vòng ${round}: bộ ${code(bankId)} (${bankFile}) có câu hỏi khác số điểm nên điểm tối đa của một bài thay đổi từ ${min} đến ${max} tùy câu được rút — xếp hạng theo điểm sẽ không công bằng. Cách sửa: ${fix}.`,
  roundScoreFix: (bankId: string, size: number, split: string) =>
    `cho mọi câu của bộ cùng một số điểm; hoặc lấy đủ cả ${size} câu (\`${bankId}: ${size}\`); hoặc tách bộ thành các bộ riêng theo điểm và lấy ${split}`,
  roundScoreSplit: (count: number, points: number, available: number) => `${count} câu ${points} điểm (trong ${available} câu)`,
  answerAlwaysLongest: (share: number, count: number, total: number) =>
    `đáp án đúng là lựa chọn dài nhất ở ${count}/${total} câu (${share}%) — người thi sẽ học được mẹo chọn câu dài nhất; hãy viết các lựa chọn sai dài tương đương.`,
  answerAlwaysAll: (label: string, count: number, total: number) =>
    `“${label}” là đáp án đúng ở ${count}/${total} câu có lựa chọn này — người thi sẽ học được mẹo chọn nó; hãy dùng nó cả khi nó sai, hoặc bỏ bớt.`,

  // contests
  duplicateContestId: (id: string, otherFile: string) => `mã cuộc thi ${code(id)} đã được dùng trong ${otherFile} — đặt một mã khác.`,
  badTimezone: (value: string) => `múi giờ ${code(value)} không tồn tại — dùng tên múi giờ chuẩn, ví dụ ${code("Asia/Ho_Chi_Minh")}.`,
  noRounds: "cuộc thi chưa có vòng thi nào — thêm danh sách `rounds:` với ít nhất một vòng.",
  notList: (key: string) => `${code(key)} phải là một danh sách, mỗi mục bắt đầu bằng \`- \`.`,
  roundNotMap: "mỗi vòng thi phải có các khóa `number`, `opens`, `closes`, `banks`.",
  prizeNotMap: "mỗi giải phải có hai khóa `name` (tên giải) và `count` (số giải).",
  duplicateRoundNumber: (n: number, line: number) => `vòng số ${n} đã có ở dòng ${line} — mỗi vòng cần một số thứ tự riêng.`,
  badDateTime: (key: string, value: string) =>
    `${code(key)}: ${code(value)} không phải thời điểm hợp lệ — viết theo dạng \`dd/mm/yyyy HH:mm\`, ví dụ \`30/09/2024 10:00\`.`,
  banksNotMap: "`banks` phải liệt kê các bộ câu hỏi dạng `mã-bộ: số-câu`, mỗi bộ một dòng (thụt lề dưới `banks:`).",
  emptyBanks: "`banks` chưa có bộ câu hỏi nào — thêm ít nhất một dòng `mã-bộ: số-câu`.",
  rankingMustStartWithScore: "`ranking` phải bắt đầu bằng `score` — điểm luôn là tiêu chí xếp hạng đầu tiên.",
  rankingDuplicate: (c: string) => `\`ranking\` ghi ${code(c)} hai lần — mỗi tiêu chí chỉ một lần.`,

  bankTooSmallForRound: (contest: string, round: number, quota: number, available: number) =>
    `cuộc thi ${code(contest)}, vòng ${round} lấy ${quota} câu từ bộ này nhưng bộ chỉ còn ${available} câu — giữ đủ câu hỏi hoặc giảm số câu của vòng đó trước.`,

  // units
  unitsSectionMissing: (title: string) => `thiếu phần \`## ${title}\` — xem ví dụ trong content/README.md.`,
  unitsTableRow: (expected: number, got: number) => `dòng bảng có ${got} cột, cần ${expected} cột — kiểm tra các dấu \`|\`.`,
  unitsTableHeaderMissing:
    "bảng thiếu dòng tiêu đề — mỗi bảng bắt đầu bằng dòng tiêu đề (`| Mã | Tên |`) và dòng `| --- | --- |`, rồi mới đến các đơn vị.",
  unitsUnknownSection: (title: string) =>
    `phần ${code(title)} không được hỗ trợ — tệp đơn vị chỉ có hai phần \`## Huyện, thành phố\` và \`## Công đoàn cơ sở\`.`,
  unitsRowOutsideSection: "dòng bảng nằm ngoài phần nào — đặt bảng dưới `## Huyện, thành phố` hoặc `## Công đoàn cơ sở`.",
  duplicateUnitId: (what: string, id: string, line: number) =>
    `mã ${what} ${code(id)} đã dùng ở dòng ${line} — mỗi đơn vị cần một mã riêng.`,
  unknownDistrict: (district: string) =>
    `công đoàn cơ sở thuộc huyện, thành phố mã ${code(district)}, nhưng mã này không có trong bảng \`## Huyện, thành phố\` — sửa mã hoặc thêm huyện, thành phố đó.`,
  emptyUnitName: "tên đơn vị để trống — viết tên vào cột `Tên`.",
  districtNameMismatch: (id: string, name: string, line: number) =>
    `mã huyện, thành phố ${code(id)} ở dòng ${line} có tên “${name}”, dòng này ghi tên khác — mỗi mã chỉ một tên.`,

  // paths
  notAContentFile: (path: string) =>
    `${path} không phải tệp nội dung — tệp bộ câu hỏi và cuộc thi là tệp .md bắt đầu bằng dòng \`---\`; tệp đơn vị có phần \`## Huyện, thành phố\` (xem content/README.md).`,
  pathNotFound: (path: string) => `không tìm thấy ${path}.`,
  emptyFolder: (path: string) => `thư mục ${path} không có tệp nội dung (.md) nào.`,

  // the command line and the console
  checkSummaryErrors: (errors: number, warnings: number, files: number) =>
    `Có ${errors} lỗi${warnings ? ` và ${warnings} cảnh báo` : ""} trong ${files} tệp. Sửa các lỗi trên rồi chạy lại lệnh.`,
  checkSummaryWarnings: (warnings: number) =>
    `Có ${warnings} cảnh báo: nội dung vẫn nạp được, nhưng nên xem lại (với \`--strict\` cảnh báo được tính là lỗi).`,
  strictWarnings: (warnings: number) => `Có ${warnings} cảnh báo, được tính là lỗi vì lệnh chạy với \`--strict\`.`,
  bankIdMismatch: (editing: string, written: string) =>
    `bạn đang sửa bộ ${code(editing)} nhưng tệp ghi \`id: ${written}\` — nạp tệp này sẽ ghi đè bộ ${code(written)}. Giữ \`id: ${editing}\`, hoặc tạo bộ mới để nạp bộ ${code(written)}.`,
  contestPlace: (contestId: string) => `cuộc thi ${code(contestId)}`,
  warningsTitle: (n: number) => `${n} cảnh báo (không chặn việc nạp)`,
  inOtherFile: (file: string, line: number) => `${file}, dòng ${line}`,
} as const;

export const unitWords = { district: "huyện, thành phố", branch: "công đoàn cơ sở" } as const;
