/**
 * Every string of the interface, in Vietnamese, in one place: an English translation is another
 * file of the same shape.
 */
export const vi = {
  site: {
    name: "Cuộc thi trực tuyến",
    tagline: "Thi trắc nghiệm tìm hiểu pháp luật, nghị quyết và chuyển đổi số",
    home: "Trang chủ",
    skipToContent: "Bỏ qua, đến nội dung chính",
    footer: "Thời gian hiển thị theo giờ Việt Nam (GMT+7), đồng hồ 24 giờ.",
  },
  home: {
    title: "Các cuộc thi",
    empty: "Chưa có cuộc thi nào. Ban tổ chức nạp cuộc thi bằng lệnh npm run content:import.",
    roundsCount: (n: number) => `${n} vòng thi`,
    viewContest: "Xem cuộc thi",
  },
  contest: {
    rounds: "Các vòng thi",
    rules: "Thể lệ",
    facts: (questions: number, minutes: number, attempts: number) =>
      `${questions} câu hỏi · ${minutes} phút · ${attempts} lần thi mỗi vòng`,
    opensAt: "Mở lúc",
    closesAt: "Đóng lúc",
    notFound: "Không tìm thấy cuộc thi này.",
    prizes: "Giải thưởng mỗi vòng",
    prizeLine: (name: string, count: number) => `${String(count).padStart(2, "0")} ${name}`,
  },
  status: {
    upcoming: "Sắp mở",
    open: "Đang mở",
    closed: "Đã kết thúc",
  },
  countdown: {
    opensIn: "Mở sau",
    closesIn: "Đóng sau",
    ended: "Cuộc thi đã kết thúc",
    refresh: "Đang cập nhật…",
    days: (n: number) => `${n} ngày`,
    hours: (n: number) => `${n} giờ`,
    minutes: (n: number) => `${n} phút`,
    seconds: (n: number) => `${n} giây`,
  },
  errors: {
    title: "Đã có lỗi",
    notFound: "Không tìm thấy trang bạn cần.",
    forbidden: "Bạn không có quyền xem trang này.",
    tooMany: "Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.",
    generic: "Hệ thống gặp sự cố. Vui lòng thử lại sau ít phút.",
    backHome: "Về trang chủ",
  },
} as const;

export type Strings = typeof vi;
export const t = vi;
