import { Link } from "@remix-run/react";

/**
 * "Đã có tài khoản? Đăng nhập" under the registration form, and its mirror under the login form:
 * the other page, keeping where the person was going.
 */
export function OtherAuthPage({
  question,
  to,
  redirectTo,
  label,
}: {
  question: string;
  to: "/dang-nhap" | "/dang-ky";
  redirectTo: string;
  label: string;
}) {
  return (
    <p className="mt-4">
      {question}{" "}
      <Link
        to={`${to}${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}
        className="font-semibold text-brand-700 underline"
      >
        {label}
      </Link>
    </p>
  );
}
