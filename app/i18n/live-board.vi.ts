/** The live board of an open round (docs/decisions/014, "The live board off the event loop"). */
export const liveBoardText = {
  /** The first request for a large open round's board, before its figures were ever computed. */
  compiling: "Đang tổng hợp số liệu trực tiếp của vòng thi. Trang sẽ tự tải lại sau ít giây.",
  /** Seconds before that page reloads itself (meta refresh, no JS): the figures take a few seconds. */
  refreshSeconds: 5,
  /** How old the standings shown are. */
  updated: (seconds: number) => (seconds < 1 ? "Số liệu vừa được cập nhật." : `Số liệu cập nhật cách đây ${seconds} giây.`),
};
