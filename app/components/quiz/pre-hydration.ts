/**
 * Taps made before the page's script ran. This module is evaluated when the route's code loads,
 * before React hydrates the server's HTML, so it can read which options the member had already
 * checked in the plain form: hydration then cannot lose them (the page saves them on mount).
 */
export const QUIZ_FORM_ATTRIBUTE = "data-quiz-form";

export interface PreHydrationChoices {
  attemptId: string;
  choices: Map<number, number[]>;
}

function snapshot(): PreHydrationChoices | null {
  if (typeof document === "undefined") return null;
  const form = document.querySelector<HTMLFormElement>(`form[${QUIZ_FORM_ATTRIBUTE}]`);
  if (!form) return null;
  return { attemptId: form.getAttribute(QUIZ_FORM_ATTRIBUTE) ?? "", choices: readChoices(form) };
}

/** Every question's checked options in the form, by position (`q-3` is position 3). */
export function readChoices(form: HTMLFormElement): Map<number, number[]> {
  const choices = new Map<number, number[]>();
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement>("input[name^='q-']"))) {
    const position = Number(input.name.slice(2));
    if (!Number.isInteger(position)) continue;
    const list = choices.get(position) ?? [];
    if (input.checked) list.push(Number(input.value));
    choices.set(position, list);
  }
  for (const list of choices.values()) list.sort((a, b) => a - b);
  return choices;
}

let taken = snapshot();

/** The choices read before hydration, once, and only for this attempt's page. */
export function takePreHydrationChoices(attemptId: string): Map<number, number[]> | null {
  const found = taken;
  taken = null;
  return found && found.attemptId === attemptId ? found.choices : null;
}
