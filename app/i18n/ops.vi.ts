/**
 * Strings of operating the platform: backups and restores on the command line, a database that
 * cannot be opened, and requests refused because the disk cannot take writes
 * (docs/decisions/015-operating-it.md).
 */
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export const ops = {
  backup: {
    progress: (percent: number) => `Đang sao lưu… ${percent}%`,
    done: (file: string, bytes: number, seconds: number) => `Đã sao lưu vào ${file} (${mib(bytes)}, ${seconds.toFixed(1)} giây).`,
    timeout: (seconds: number) =>
      `Sao lưu quá ${seconds} giây nên đã dừng; bản sao dở dang đã bị xoá. Hãy thử lại lúc ít tải hơn hoặc tăng --timeout.`,
    pruned: (n: number, keep: number) => `Đã xoá ${n} bản sao lưu cũ (giữ ${keep} bản mới nhất).`,
    badKeep: "--keep phải là một số nguyên dương (số bản sao lưu giữ lại).",
    badTimeout: "--timeout phải là số giây, lớn hơn 0.",
    checking: "Đang kiểm tra bản sao lưu (PRAGMA integrity_check)…",
  },
  restore: {
    usage: "Cách dùng: npm run db:restore -- <tệp sao lưu> [--force]",
    missing: (file: string) => `Không tìm thấy tệp ${file}.`,
    notDatabase: (file: string, cause: string) => `Tệp ${file} không phải cơ sở dữ liệu SQLite (${cause}). Không khôi phục.`,
    notCuocthi: (file: string, missing: string[]) =>
      `Tệp ${file} không phải cơ sở dữ liệu của cuocthi: thiếu bảng ${missing.join(", ")}. Không khôi phục.`,
    corrupt: (file: string, problems: string) => `Tệp ${file} bị hỏng (integrity_check: ${problems}). Không khôi phục.`,
    inUse: (path: string) =>
      `Cơ sở dữ liệu ${path} đang được dùng (máy chủ còn chạy?). Hãy dừng máy chủ (systemctl stop cuocthi), khôi phục, rồi khởi động lại. Thêm --force nếu chắc chắn không còn tiến trình nào dùng nó.`,
    checked: (file: string, migrations: number) => `Bản sao lưu ${file} nguyên vẹn (${migrations} lần cập nhật cấu trúc).`,
    done: (target: string) =>
      `Đã khôi phục vào ${target}. Khởi động lại máy chủ: cấu trúc sẽ được cập nhật nếu bản sao lưu cũ hơn mã nguồn.`,
    previousKept: (file: string) => `Cơ sở dữ liệu trước khi khôi phục được giữ lại ở ${file}.`,
  },
  unexpected: "Hệ thống gặp sự cố. Vui lòng thử lại sau ít phút.",
  metrics: {
    badAllow: (entry: string) =>
      `METRICS_ALLOW không hợp lệ ở "${entry}": hãy ghi địa chỉ IP, dải mạng (10.0.0.0/8) hoặc loopback, linklocal, uniquelocal, cách nhau bởi dấu phẩy.`,
    unavailable: "Không lấy được số liệu từ các tiến trình phục vụ; hãy thử lại.",
  },
  lifecycle: {
    started: (url: string, workers: number) => `[cuocthi] ${url} (${workers} tiến trình phục vụ)`,
    stopping: (signal: string) => `[cuocthi] Nhận ${signal}: ngừng nhận kết nối mới, trả lời nốt các yêu cầu đang xử lý.`,
    drained: (ms: number) => `[cuocthi] Đã trả lời hết các yêu cầu đang xử lý (${ms} ms); đóng cơ sở dữ liệu và thoát.`,
    forced: (n: number, seconds: number) =>
      `[cuocthi] Hết ${seconds} giây (DRAIN_TIMEOUT_SECONDS) mà còn ${n} yêu cầu chưa xong: buộc dừng (mã thoát 1).`,
    workerForced: (pid: number) => `[cuocthi] Tiến trình ${pid} không dừng kịp: buộc dừng (SIGKILL).`,
    rollingStart: (n: number) => `[cuocthi] Khởi động lại lần lượt ${n} tiến trình phục vụ (không ngừng phục vụ).`,
    rollingStep: (oldPid: number, newPid: number) =>
      `[cuocthi] Tiến trình ${newPid} đã sẵn sàng; tiến trình ${oldPid} trả lời nốt rồi dừng.`,
    rollingDone: (n: number) => `[cuocthi] Đã thay xong ${n} tiến trình phục vụ.`,
    rollingFailed: (pid: number) =>
      `[cuocthi] Tiến trình mới ${pid} không khởi động được; dừng việc khởi động lại lần lượt, các tiến trình cũ vẫn phục vụ.`,
    rollingNeedsCluster:
      "[cuocthi] Nhận SIGHUP nhưng chỉ có một tiến trình (WEB_CONCURRENCY=1): khởi động lại lần lượt cần từ 2 tiến trình; bỏ qua.",
  },
  startup: {
    cannotOpen: (path: string, cause: string) => `Không mở được cơ sở dữ liệu ${path}: ${cause}`,
  },
  unavailable: {
    logged: (code: string, message: string) =>
      `[cuocthi] Cơ sở dữ liệu không ghi được (${code}): ${message}. Các yêu cầu ghi được trả lời 503 cho đến khi sửa xong.`,
    /** Said with a 503 when the database refuses a write: the member must know it did not count. */
    notSaved: "Máy chủ tạm thời không ghi được dữ liệu: thao tác của bạn CHƯA được lưu. Vui lòng thử lại sau ít phút.",
    answerNotSaved: "Máy chủ tạm thời không ghi được dữ liệu: câu trả lời CHƯA được lưu. Trang sẽ tự gửi lại; đừng đóng trang.",
  },
} as const;
