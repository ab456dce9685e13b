/**
 * Reading a posted form with its zod schema: typed data, or one Vietnamese message per field for
 * the form to show next to that field (STYLE.md, "A route module"). Every action parses through
 * here instead of casting `z.flattenError(...)` to what it hopes the errors look like.
 */
import type { z } from "zod";

/**
 * One message per field, by the field's name (`title`, `rounds.3.opens`); a refusal that belongs
 * to no field (the schema's own refine) is under FORM_ERROR.
 */
export type FieldErrors = Partial<Record<string, string>>;

export const FORM_ERROR = "form";

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** The form as the schema sees it: each field's value (the last one when a name is repeated). */
export function formValues(form: FormData | Record<string, FormDataEntryValue>): Record<string, FormDataEntryValue> {
  return form instanceof FormData ? Object.fromEntries(form) : form;
}

/** The first message of each field, in the order the schema found them. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : FORM_ERROR;
    errors[field] ??= issue.message;
  }
  return errors;
}

export function parseForm<S extends z.ZodType>(schema: S, form: FormData | Record<string, FormDataEntryValue>): ParsedForm<z.output<S>> {
  const parsed = schema.safeParse(formValues(form));
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: fieldErrorsOf(parsed.error) };
}
