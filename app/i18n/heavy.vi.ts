/** Messages about work the server does off its main thread (app/.server/heavy). */
export const heavyVi = {
  jobs: {
    storeRoundResults: "tổng hợp kết quả vòng thi",
    freezeClosedRounds: "tổng hợp kết quả các vòng đã đóng",
    disqualify: "loại thành viên và tổng hợp lại kết quả",
    reinstate: "khôi phục thành viên và tổng hợp lại kết quả",
    rescoreRound: "chấm lại vòng thi",
    exportFile: "tạo tệp tải về",
    certificates: "tạo giấy chứng nhận",
    liveRound: "tổng hợp số liệu trực tiếp của vòng thi",
    fail: "kiểm tra luồng xử lý nền",
  } as Record<string, string>,
  failed: (what: string) =>
    `Máy chủ chưa ${what} được do một lỗi khi xử lý. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo quản trị viên.`,
  stopped: (what: string) =>
    `Luồng xử lý nền của máy chủ dừng đột ngột khi đang ${what}. Vui lòng thử lại; nếu vẫn lỗi, hãy báo quản trị viên.`,
};
