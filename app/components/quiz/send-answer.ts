/**
 * Sends one answer to /bai-thi/:id/tra-loi and says what happened, in the terms the outbox needs.
 * Never throws: every failure of the network or the server is "retry".
 */
import type { KeptAnswer, SaveOutcome } from "./answer-outbox";

/** A save that has not answered by then is given up and tried again (the server ignores a duplicate). */
const SAVE_TIMEOUT_MS = 15_000;

export interface SavedReply {
  stale: boolean;
  chosen: number[];
  answeredCount: number;
}

export async function sendAnswer(
  attemptId: string,
  position: number,
  answer: KeptAnswer,
  onSaved?: (reply: SavedReply) => void,
): Promise<SaveOutcome> {
  const body = new URLSearchParams();
  body.set("position", String(position));
  for (const id of answer.chosen) body.append("option", String(id));
  body.set("chosenAt", String(Math.round(answer.chosenAt)));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SAVE_TIMEOUT_MS);
  try {
    const response = await fetch(`/bai-thi/${attemptId}/tra-loi`, {
      method: "POST",
      body,
      redirect: "manual",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller.signal,
    });
    // A redirect is the guard sending us to log in: keep the answer, try again later.
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      return { kind: "retry", signedOut: true, afterMs: 5_000 };
    }
    if (response.status === 429) {
      const seconds = Number(response.headers.get("Retry-After")) || 5;
      return { kind: "retry", afterMs: seconds * 1000 };
    }
    if (response.status >= 500) return { kind: "retry" };
    const reply = (await response.json()) as ({ ok: true } & SavedReply) | { ok: false; error: string; code: string; finished?: string };
    if (reply.ok) {
      onSaved?.(reply);
      return { kind: "saved", answeredCount: reply.answeredCount };
    }
    if (reply.finished) return { kind: "finished", url: reply.finished, message: reply.error };
    if (reply.code === "bad_answer" || response.status === 404 || response.status === 403) {
      return { kind: "rejected", message: reply.error };
    }
    return { kind: "retry" };
  } catch {
    return { kind: "retry" };
  } finally {
    clearTimeout(timer);
  }
}
