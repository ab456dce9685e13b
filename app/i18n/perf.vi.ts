/** Interface text of "fast at the deadline" (decision 013). */
export const perfText = {
  /** A closed round whose results the scheduled job has not stored yet (no page load writes). */
  compiling: "Đang tổng hợp kết quả vòng thi. Trang sẽ tự tải lại sau ít giây.",
  compilingDownload: "Đang tổng hợp kết quả vòng thi; tệp sẽ tải được sau ít phút. Vui lòng thử lại.",
  /** Seconds before a page showing "đang tổng hợp kết quả" reloads itself (meta refresh, no JS). */
  refreshSeconds: 15,
};
