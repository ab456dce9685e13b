/**
 * Vietnamese mobile numbers. One person, one account: `0912 010 801`, `+84912010801` and
 * `84912010801` are the same number, stored as `0912010801`.
 */

/** Mobile prefixes in use since the 2018 renumbering (03x, 05x, 07x, 08x, 09x). */
const MOBILE = /^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}$/;

/** The canonical form `0xxxxxxxxx`, or null when the text is not a Vietnamese mobile number. */
export function normalizePhone(input: string): string | null {
  let digits = input.replace(/[\s.\-()]/g, "");
  if (digits.startsWith("+84")) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith("0084")) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith("84") && digits.length === 11) digits = `0${digits.slice(2)}`;
  return MOBILE.test(digits) ? digits : null;
}

/**
 * `091*****01`: with their name and unit, enough for a person to recognise their own row; never the
 * whole number, and five hidden digits (100,000 candidates) so that the registration form, limited
 * per address and per number, cannot cheaply tell which candidate is registered
 * (docs/decisions/006-accounts-limits-and-input.md).
 */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return "*****";
  return `${phone.slice(0, 3)}${"*".repeat(phone.length - 5)}${phone.slice(-2)}`;
}
