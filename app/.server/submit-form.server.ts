/**
 * The submit's form, read one way for both paths that take it: the quiz page's action (Remix,
 * a FormData) and the lean path before Express (app/lean-routes.server.ts, URLSearchParams).
 */
import { z } from "zod";
import { t } from "~/i18n/vi";

const optionIds = z.array(z.coerce.number().int().positive()).max(8);

export const SubmitSchema = z.object({
  intent: z.literal("submit"),
  prediction: z
    .string()
    .trim()
    .transform((s) => s.replace(/[.\s,]/g, ""))
    .pipe(z.union([z.literal(""), z.string().regex(/^\d{1,8}$/, t.quiz.predictionInvalid)]))
    .transform((s) => (s === "" ? null : Number(s)))
    .pipe(z.number().max(10_000_000, t.quiz.predictionInvalid).nullable())
    .optional()
    .transform((v) => v ?? null),
  confirm: z.literal("1").optional(),
  auto: z.literal("1").optional(),
  answers: z.map(z.number(), optionIds),
});

/** A FormData (the action) or URLSearchParams (the lean path): both iterate [name, value]. */
export type SubmitForm = Pick<FormData, "get" | "getAll"> & Iterable<[string, FormDataEntryValue]>;

/** Reads the form: `q-3=17` (a radio), `q-5=20&q-5=22` (checkboxes) become answers by position. */
export function readSubmitForm(form: SubmitForm) {
  const answers = new Map<number, number[]>();
  for (const [key, value] of form) {
    const match = /^q-(\d+)$/.exec(key);
    if (match && typeof value === "string") {
      const position = Number(match[1]);
      answers.set(position, [...(answers.get(position) ?? []), Number(value)]);
    }
  }
  return {
    intent: form.get("intent"),
    prediction: form.get("prediction") ?? undefined,
    // The hidden field (set by the JavaScript dialog) and the "Vẫn nộp bài" button both say confirm.
    confirm: form.getAll("confirm").includes("1") ? "1" : undefined,
    auto: form.get("auto") || undefined,
    answers,
  };
}
