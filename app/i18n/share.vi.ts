/** Vietnamese strings of embeds for partner sites, share cards and the participation chart. */

const code = (s: string) => `\`${s}\``;

export const shareText = {
  embed: {
    errors: {
      empty: "Dòng trống — ghi địa chỉ trang đối tác, ví dụ `https://congdoan.lamdong.gov.vn`.",
      wildcard: (raw: string) =>
        `${code(raw)} có dấu * — mỗi dòng ghi đúng một trang (ví dụ \`https://huyen.congdoan.vn\`); ghi từng tên miền con một, không dùng ký tự đại diện.`,
      notOrigin: (raw: string) =>
        `${code(raw)} không phải địa chỉ trang web — ghi dạng \`https://tên-miền\`, ví dụ \`https://congdoan.lamdong.gov.vn\`.`,
      notHttps: (raw: string) => `${code(raw)} phải bắt đầu bằng \`https://\` — trang đối tác phải dùng HTTPS.`,
      hasPath: (raw: string, origin: string) => `${code(raw)} có đường dẫn sau tên miền — chỉ ghi tên miền: ${code(origin)}.`,
      tooMany: (max: number) => `Tối đa ${max} trang đối tác cho một cuộc thi.`,
      notList: "`embedOrigins` phải là danh sách, mỗi dòng `- https://tên-miền`.",
    },
    title: (contest: string) => `${contest} · bảng tin`,
    participantsSoFar: "Người đã tham gia",
    join: "Tham gia",
    joinHint: "(mở trang cuộc thi trong thẻ mới)",
    noRound: "Cuộc thi chưa có vòng thi nào.",
    ended: "Các vòng thi đã kết thúc.",
    topTen: (round: string) => `10 người dẫn đầu ${round}`,
    noTop: "Chưa có vòng thi nào kết thúc.",
    rank: "Hạng",
    name: "Họ và tên",
    unit: "Đơn vị",
    score: "Điểm",
    fullBoard: "Xem bảng xếp hạng đầy đủ",
    poweredBy: "Cuộc thi trực tuyến",
  },
  console: {
    heading: "Nhúng vào trang đối tác",
    intro:
      "Trang đối tác (cổng thông tin của công đoàn, sở, ngành) có thể đặt một khung nhỏ của cuộc thi: trạng thái vòng thi, đếm ngược, số người đã tham gia, nút “Tham gia” và 10 người dẫn đầu vòng vừa kết thúc. Chỉ các trang ghi dưới đây được phép đặt khung này; mọi trang khác bị trình duyệt chặn.",
    originsLabel: "Các trang được phép nhúng (mỗi dòng một địa chỉ)",
    originsHint:
      "Ghi dạng https://tên-miền, không có đường dẫn, ví dụ https://congdoan.lamdong.gov.vn. Để trống: chỉ trang này xem được khung.",
    save: "Lưu danh sách trang nhúng",
    saved: "Đã lưu danh sách trang được phép nhúng.",
    snippetLabel: "Đoạn mã dán vào trang đối tác",
    snippetHint: "Chép đoạn mã này vào trang của đối tác (chế độ HTML). Khung tự co theo chiều rộng trang.",
    preview: "Xem trước khung nhúng",
    previewTitle: (contest: string) => `Xem trước: ${contest}`,
    lineError: (line: number, message: string) => `Dòng ${line}: ${message}`,
  },
  share: {
    contestDescription: (dates: string) => `${dates}. Thi trắc nghiệm trực tuyến trên điện thoại.`,
    leaderboardTitle: (contest: string) => `Bảng xếp hạng · ${contest}`,
    leaderboardDescription: (dates: string) => `Kết quả và xếp hạng. ${dates}.`,
    imageAlt: (contest: string) => `Thẻ giới thiệu cuộc thi “${contest}”`,
    cardBrand: "Thi trắc nghiệm trực tuyến",
    cardCall: "Tham gia trên điện thoại",
    practice: "Thi thử",
  },
  chart: {
    title: "Người tham gia theo thời gian (cộng dồn)",
    summary: (total: string, from: string, to: string) => `${total} người đã tham gia, từ ${from} đến ${to}.`,
    empty: "Chưa có ai nộp bài trong vòng này.",
    at: "Thời điểm",
    total: "Số người đã tham gia",
  },
};
