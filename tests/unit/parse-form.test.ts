import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FORM_ERROR, parseForm } from "~/.server/forms.server";

const Schema = z
  .object({
    name: z.string().trim().min(1, "Hãy nhập tên."),
    age: z.coerce.number({ error: "Tuổi phải là số." }).int("Tuổi phải là số nguyên.").min(18, "Phải đủ 18 tuổi."),
    password: z.string(),
    passwordConfirm: z.string(),
  })
  .refine((v) => v.password === v.passwordConfirm, { message: "Hai mật khẩu không khớp." });

function form(fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return body;
}

describe("parseForm", () => {
  it("returns the typed data of a valid form", () => {
    const parsed = parseForm(Schema, form({ name: " Lan ", age: "30", password: "x", passwordConfirm: "x" }));
    expect(parsed).toEqual({ ok: true, data: { name: "Lan", age: 30, password: "x", passwordConfirm: "x" } });
  });

  it("returns one message per field, the first the schema found", () => {
    const parsed = parseForm(Schema, form({ name: "  ", age: "1.5", password: "x", passwordConfirm: "x" }));
    expect(parsed).toEqual({ ok: false, errors: { name: "Hãy nhập tên.", age: "Tuổi phải là số nguyên." } });
  });

  it("puts a refusal of the whole form under FORM_ERROR", () => {
    const parsed = parseForm(Schema, form({ name: "Lan", age: "20", password: "x", passwordConfirm: "y" }));
    expect(parsed).toEqual({ ok: false, errors: { [FORM_ERROR]: "Hai mật khẩu không khớp." } });
  });

  it("names a nested field by its path", () => {
    const Nested = z.object({ rounds: z.object({ 3: z.object({ opens: z.string().min(1, "Hãy nhập giờ mở.") }) }) });
    expect(parseForm(Nested, { rounds: { 3: { opens: "" } } } as never)).toEqual({
      ok: false,
      errors: { "rounds.3.opens": "Hãy nhập giờ mở." },
    });
  });

  it("reads a missing field as missing, not as an empty string", () => {
    expect(parseForm(z.object({ name: z.string({ error: "Thiếu tên." }) }), form({}))).toEqual({
      ok: false,
      errors: { name: "Thiếu tên." },
    });
  });
});
