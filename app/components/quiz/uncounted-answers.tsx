/**
 * On the result page: the choices the member's page kept (offline) that the server never received
 * in time, so they did not count. Read from the browser's storage after hydration; without
 * JavaScript nothing was kept, and nothing is shown.
 */
import { useEffect, useState } from "react";
import { quizVi as q } from "~/i18n/quiz.vi";
import { readKept, writeKept, type KeptAnswer } from "./answer-outbox";

const same = (a: readonly number[], b: readonly number[]) => {
  const x = [...a].sort((m, n) => m - n);
  const y = [...b].sort((m, n) => m - n);
  return x.length === y.length && x.every((id, i) => id === y[i]);
};

export function UncountedAnswers({ attemptId, saved }: { attemptId: string; saved: Record<number, number[]> }) {
  const [uncounted, setUncounted] = useState<[string, KeptAnswer][]>([]);
  useEffect(() => {
    const kept = readKept(attemptId);
    const missing = Object.entries(kept.answers)
      .filter(([position, answer]) => !same(answer.chosen, saved[Number(position)] ?? []))
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    setUncounted(missing);
    // What did arrive (with the submission) is no longer worth keeping; the rest stays for a reload.
    writeKept(attemptId, () => ({ answers: Object.fromEntries(missing) }));
  }, [attemptId, saved]);
  if (uncounted.length === 0) return null;
  return (
    <section role="status" className="mb-4 rounded-lg border border-red-300 bg-red-50 p-3 text-red-950" data-testid="uncounted">
      <h2 className="mb-1 font-bold">{q.uncountedTitle}</h2>
      <p className="mb-2 text-sm">{q.uncountedIntro}</p>
      <ul className="list-disc pl-5 text-sm">
        {uncounted.map(([position, answer]) => (
          <li key={position}>{q.uncountedLine(answer.label, answer.texts)}</li>
        ))}
      </ul>
    </section>
  );
}
