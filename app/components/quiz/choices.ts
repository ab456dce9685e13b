/** Small helpers over the quiz form's choices (option ids of one question). */

export const sameChoice = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export const sorted = (ids: readonly number[]) => [...ids].sort((x, y) => x - y);

/** Checks exactly the given options of one question in the form (an answer kept or stored elsewhere). */
export function applyChoice(form: HTMLFormElement, position: number, chosen: readonly number[]) {
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement>(`input[name='q-${position}']`))) {
    input.checked = chosen.includes(Number(input.value));
  }
}
