/**
 * Strings for accounts, limits and refused requests (privileged accounts, names, the front door's
 * answers to bad requests), in Vietnamese.
 */
import type { AccountRefusal } from "~/domain/accounts";
import type { NameProblem } from "~/domain/names";

const minutesOrHours = (seconds: number) =>
  seconds >= 5400 ? `${Math.ceil(seconds / 3600)} giờ` : `${Math.max(1, Math.ceil(seconds / 60))} phút`;

export const accountsText = {
  names: {
    required: "Nhập họ và tên (ít nhất 2 ký tự).",
    too_long: "Họ và tên dài quá 100 ký tự.",
    control: "Họ và tên có ký tự điều khiển không in được (ví dụ ký tự NUL, BEL, ESC). Hãy gõ lại họ tên.",
    invisible: "Họ và tên có ký tự ẩn hoặc ký tự đổi chiều chữ (ví dụ U+202E). Hãy gõ lại họ tên, không dán từ nơi khác.",
  } satisfies Record<NameProblem, string>,
  refusals: {
    self: "Không thể thao tác trên tài khoản của chính bạn ở đây. Đổi mật khẩu của bạn ở trang Đổi mật khẩu.",
    privileged_needs_admin: "Chỉ quản trị viên được thao tác trên tài khoản ban tổ chức, giám khảo hoặc quản trị.",
    role_needs_admin: "Chỉ quản trị viên được đổi vai trò.",
    last_admin: "Không thể hạ vai trò hoặc khóa quản trị viên cuối cùng còn hoạt động. Hãy cấp quyền quản trị cho người khác trước.",
    not_staff: "Bạn không có quyền quản lý thành viên.",
  } satisfies Record<AccountRefusal, string>,
  rename: {
    label: "Họ và tên",
    button: "Sửa họ tên",
    renamed: (before: string, after: string) => `Đã sửa họ tên: ${before} → ${after}.`,
    unchanged: "Họ tên không thay đổi.",
  },
  limits: {
    registrationsTaken: (seconds: number) =>
      `Có quá nhiều lượt đăng ký trùng số điện thoại đã có từ mạng của bạn. Vui lòng thử lại sau ${minutesOrHours(seconds)}, hoặc liên hệ ban tổ chức.`,
    phoneProbed: (seconds: number) =>
      `Số điện thoại này tạm thời không đăng ký được. Vui lòng thử lại sau ${minutesOrHours(seconds)}; nếu đây là số của bạn, hãy đăng nhập hoặc liên hệ ban tổ chức.`,
  },
  frontDoor: {
    title: "Không thực hiện được yêu cầu",
    crossSite: "Yêu cầu bị từ chối vì không gửi từ trang của cuộc thi. Hãy mở lại trang rồi thử lại.",
    tooLarge: (megabytes: number) => `Dữ liệu gửi lên quá lớn (tối đa ${megabytes} MB). Hãy gửi tệp nhỏ hơn hoặc chia thành nhiều tệp.`,
    unsupportedType: "Yêu cầu không phải là dữ liệu biểu mẫu. Hãy gửi lại từ trang của cuộc thi.",
    badBody: "Dữ liệu biểu mẫu bị hỏng hoặc gửi không trọn vẹn. Hãy tải lại trang rồi gửi lại.",
    lengthRequired: "Yêu cầu thiếu độ dài dữ liệu. Hãy gửi lại từ trang của cuộc thi.",
    backHome: "Về trang chủ",
  },
  password: {
    otherSessionsEnded: "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã được đăng xuất.",
  },
};
