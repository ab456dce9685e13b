/** Vietnamese strings of the units page: the list import with its preview, search and pages. */

const code = (c: string) => `“${c}”`;

/** Errors in a unit list, each shown after “Dòng N:”. */
export const unitListMessages = {
  emptyFile: "Tệp không có dòng nào.",
  headerMissing:
    "Không tìm thấy dòng tiêu đề có cột “Tên huyện” và cột “Tên công đoàn cơ sở” (trong 20 dòng đầu). Hãy thêm dòng tiêu đề với hai cột đó; cột “STT” và các cột khác được bỏ qua, cột mã là không bắt buộc.",
  noRows: "Dưới dòng tiêu đề không có đơn vị nào.",
  districtNameMissing: "Thiếu tên huyện, thành phố.",
  branchNameMissing: "Có mã công đoàn cơ sở nhưng thiếu tên.",
  badCode: (raw: string) => `Mã ${code(raw)} không dùng được: mã gồm chữ không dấu, số và gạch ngang, tối đa 40 ký tự.`,
  nameTooLong: "Tên dài quá 200 ký tự.",
  districtCodeTwoNames: (c: string, name: string, line: number) =>
    `Mã huyện ${code(c)} đã được ghi cho “${name}” ở dòng ${line}; mỗi mã chỉ một huyện.`,
  districtNameTwoCodes: (name: string, c: string, line: number) =>
    `Huyện “${name}” đã được ghi mã ${code(c)} ở dòng ${line}; mỗi huyện chỉ một mã.`,
  duplicateBranch: (line: number) => `Công đoàn cơ sở này đã có ở dòng ${line} (cùng huyện, cùng tên).`,
  duplicateCode: (c: string, line: number) => `Mã công đoàn cơ sở ${code(c)} đã dùng ở dòng ${line}.`,
  districtExistsWithCode: (name: string, id: string) =>
    `Huyện “${name}” đã có trong hệ thống với mã ${code(id)}: ghi mã đó, hoặc để trống ô mã.`,
  districtAmbiguous: (name: string, ids: string[]) => `Có nhiều huyện trùng tên “${name}” (${ids.join(", ")}): hãy ghi mã huyện.`,
  districtListedTwice: (id: string) => `Huyện ${code(id)} xuất hiện hai lần trong tệp với hai tên khác nhau.`,
  branchExistsWithCode: (name: string, id: string) =>
    `Công đoàn cơ sở “${name}” đã có trong huyện này với mã ${code(id)}: ghi mã đó, hoặc để trống ô mã.`,
  branchListedTwice: (id: string, line: number) => `Công đoàn cơ sở ${code(id)} đã có ở dòng ${line}.`,
  // Reading the file itself.
  csvError: (detail: string) => `Không đọc được dòng này của tệp CSV (${detail}). Hãy mở tệp bằng Excel và lưu lại dạng CSV UTF-8.`,
  unclosedQuote: "Dấu ngoặc kép mở mà không đóng.",
  notUtf8: "Tệp CSV không phải bảng mã UTF-8. Trong Excel, chọn Lưu thành → “CSV UTF-8 (phân tách bằng dấu phẩy)”.",
  badXlsx: "Không đọc được tệp Excel (.xlsx). Hãy mở tệp bằng Excel và lưu lại dạng “Sổ làm việc Excel (.xlsx)”.",
  oldXls: "Tệp .xls (Excel 97–2003) không được hỗ trợ. Hãy lưu lại dạng .xlsx hoặc CSV UTF-8.",
  tooLarge: "Tệp quá lớn (tối đa 4 MB).",
  tooManyRows: (max: number) => `Tệp có quá ${max.toLocaleString("vi-VN")} dòng.`,
} as const;

export const unitsText = {
  importHint:
    "Tệp Excel (.xlsx) hoặc CSV (dấu phẩy hoặc dấu chấm phẩy, UTF-8) với dòng tiêu đề có cột “Tên huyện” và “Tên công đoàn cơ sở”; cột “STT” được bỏ qua; cột “Mã huyện”, “Mã CĐCS” không bắt buộc (thiếu mã thì hệ thống tự tạo từ tên). Hoặc tệp units.md theo định dạng của content/. Trước khi ghi, trang cho xem tệp sẽ thay đổi gì; không đơn vị nào bị xóa.",
  file: "Tệp danh sách (.xlsx, .csv hoặc .md)",
  preview: "Xem trước",
  previewTitle: (file: string) => `Xem trước: ${file}`,
  previewIntro: "Chưa có gì thay đổi. Kiểm tra các mục dưới đây rồi bấm “Xác nhận nhập”.",
  nothingToDo: "Tệp không thay đổi gì: mọi đơn vị trong tệp đã có, cùng tên và cùng huyện.",
  confirm: "Xác nhận nhập",
  cancel: "Hủy",
  ignoredColumns: (names: string[]) => `Các cột bỏ qua: ${names.join(", ")}.`,
  districtsAdded: (n: number) => `Huyện, thành phố thêm mới: ${n}`,
  districtsRenamed: (n: number) => `Huyện, thành phố đổi tên: ${n}`,
  districtsMissing: (n: number) => `Huyện, thành phố có trong hệ thống nhưng không có trong tệp (giữ nguyên): ${n}`,
  branchesAdded: (n: number) => `Công đoàn cơ sở thêm mới: ${n}`,
  branchesRenamed: (n: number) => `Công đoàn cơ sở đổi tên: ${n}`,
  branchesMoved: (n: number) => `Công đoàn cơ sở chuyển huyện: ${n}`,
  branchesMissing: (n: number) => `Công đoàn cơ sở có trong hệ thống nhưng không có trong tệp (giữ nguyên, không xóa): ${n}`,
  branchesMerged: (n: number) => `Dòng ghi công đoàn cơ sở đã gộp trước đây (bỏ qua): ${n}`,
  unchanged: (districts: number, branches: number) => `Không đổi: ${districts} huyện, ${branches} công đoàn cơ sở.`,
  renamedRow: (from: string, to: string) => `“${from}” → “${to}”`,
  movedRow: (name: string, from: string, to: string, members: number) => `${name}: ${from} → ${to} (${members} đoàn viên)`,
  mergedRow: (name: string, into: string) => `${name} (đã gộp vào ${into})`,
  sameNameElsewhere: (district: string) =>
    `trùng tên với một công đoàn cơ sở ở ${district}; nếu là chuyển huyện, hãy ghi mã của nó trong cột mã`,
  andMore: (n: number) => `… và ${n} đơn vị khác.`,
  lineShort: (n: number) => `dòng ${n}`,
  membersShort: (n: number) => `${n} đoàn viên`,
  allowMoves: (branches: number, members: number) =>
    `Tôi đồng ý chuyển ${branches} công đoàn cơ sở có đoàn viên sang huyện khác: ${members} đoàn viên đổi huyện theo công đoàn cơ sở của mình (kết quả các vòng đã thi giữ nguyên).`,
  allowMovesRequired: "Tệp chuyển công đoàn cơ sở có đoàn viên sang huyện khác: hãy đánh dấu ô đồng ý bên dưới rồi xác nhận lại.",
  changedSincePreview: "Danh sách đơn vị đã thay đổi từ lúc xem trước. Đây là bản xem trước mới: kiểm tra lại rồi xác nhận.",
  badPreview: "Dữ liệu xem trước không hợp lệ. Hãy chọn lại tệp.",
  imported: (d: number, b: number, dr: number, br: number, moved: number) =>
    `Đã nhập: ${d} huyện mới, ${b} công đoàn cơ sở mới; đổi tên ${dr} huyện, ${br} công đoàn cơ sở; chuyển huyện ${moved} công đoàn cơ sở.`,
  // The list of units, a page at a time.
  search: "Tìm huyện hoặc công đoàn cơ sở",
  searchButton: "Tìm",
  districtFilter: "Huyện, thành phố",
  allDistricts: "Tất cả",
  districtSummary: (branches: number, members: number) => `${branches} công đoàn cơ sở · ${members} đoàn viên`,
  showBranches: "Xem công đoàn cơ sở",
  districtsTitle: (n: number) => `Huyện, thành phố (${n})`,
  branchesTitle: (n: number) => `Công đoàn cơ sở (${n})`,
  noMatch: "Không tìm thấy đơn vị nào.",
  backToAll: "← Tất cả huyện, thành phố",
  mergeInto: "Gộp vào công đoàn cơ sở có mã",
  mergeIntoHint: "Gõ mã (kể cả của huyện khác) hoặc chọn trong gợi ý các công đoàn cơ sở cùng huyện.",
  branchNotFound: "Không tìm thấy công đoàn cơ sở này.",
  mergeTargetNotFound: "Không tìm thấy công đoàn cơ sở muốn gộp vào (hoặc nó đã được gộp).",
  // The round dashboard.
  expired: "Bài hết giờ (máy chủ chốt)",
  submittedNote:
    "Bài đã nộp không gồm bài hết giờ; người tham gia gồm cả hai. Ban tổ chức, giám khảo và quản trị không được tính là đoàn viên.",
} as const;
