import { describe, expect, it } from "vitest";
import { maskPhone, normalizePhone } from "~/domain/phone";

describe("normalizePhone", () => {
  it.each([
    "0912010801",
    "0912 010 801",
    "+84912010801",
    "+84 912 010 801",
    "84912010801",
    "0084912010801",
    "0912.010.801",
    "0912-010-801",
    "(0912) 010 801",
    " 0912010801 ",
  ])("%s is 0912010801", (input) => {
    expect(normalizePhone(input)).toBe("0912010801");
  });

  it.each(["0321234567", "0561234567", "0701234567", "0861234567", "0391234567"])("accepts the mobile prefix of %s", (input) => {
    expect(normalizePhone(input)).toBe(input);
  });

  it.each([
    ["an invalid prefix 011", "0112345678"],
    ["an invalid prefix 02 (landline)", "0241234567"],
    ["an invalid prefix 031", "0311234567"],
    ["too short", "091201080"],
    ["too long", "09120108011"],
    ["+84 too short", "+8491201080"],
    ["84 with 12 digits", "849120108011"],
    ["letters", "0912O10801"],
    ["only letters", "abcdefghij"],
    ["empty", ""],
    ["spaces only", "   "],
    ["no leading zero", "912010801"],
  ])("refuses %s (%s)", (_label, input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});

describe("maskPhone", () => {
  it("shows the first three and last two digits, five hidden", () => {
    expect(maskPhone("0912010801")).toBe("091*****01");
  });
  it("never returns the whole number", () => {
    expect(maskPhone("0912010801")).not.toContain("2010");
    expect(maskPhone("12345")).toBe("*****");
  });
});
