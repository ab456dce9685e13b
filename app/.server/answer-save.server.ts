/**
 * One answer save as a request: the quiz page's script posts it to /bai-thi/:id/tra-loi, and the
 * Remix action of the quiz page accepts the same fields (intent=save). Both come here, so the
 * parse, the rate limit and the answer (a JSON body the page needs, and nothing else) are one
 * piece of code; the rules themselves are in `saveAnswer`.
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { AttemptRefusal, saveAnswer, type SavedAnswer } from "./attempts.server";
import { limitersFor, RateLimited } from "./rate-limit.server";
import { busyTimeoutOf, retryWhileBusy } from "./write-lock.server";
import { isWriteLockBusy, noteStorageFailure, RETRY_AFTER_SECONDS, retryAfterHeaders } from "./storage-health.server";
import { t } from "~/i18n/vi";
import { ops } from "~/i18n/ops.vi";

export const SaveFields = z.object({
  position: z.coerce.number().int().min(0).max(500),
  option: z.array(z.coerce.number().int().positive()).max(8),
  /** When the member chose it, in the page's estimate of the server's clock (ms since 1970). */
  chosenAt: z.coerce.number().int().positive().optional(),
});

/** What a save reads from its body: a FormData (the Remix action) or URLSearchParams (the lean path). */
export type SaveForm = Pick<FormData, "get" | "getAll"> | Pick<URLSearchParams, "get" | "getAll">;

/** Reads the save fields of a form (`position`, `option` repeated, `chosenAt`). */
export function readSaveForm(form: SaveForm) {
  return {
    position: form.get("position"),
    option: form.getAll("option"),
    chosenAt: form.get("chosenAt") || undefined,
  };
}

export type SaveReply =
  | { ok: true; position: number; chosenAt: number | null; stale: boolean; chosen: number[]; answeredCount: number }
  | { ok: false; error: string; code: "bad_answer" | "rate_limited" | "refused" | "unavailable"; finished?: string; retryAfter?: number };

type SaveAnswerReply = { status: number; body: SaveReply; headers?: Record<string, string> };
type SaveArgs = { userId: string; attemptId: string; form: SaveForm; now: () => number };

/** Runs one save and says what to answer: a status and a small JSON body. */
export async function handleAnswerSave(db: Db, args: SaveArgs): Promise<SaveAnswerReply> {
  return answerSaveWith(db, args, (save) =>
    // Another process holding the write lock is waited for without blocking this one's event
    // loop (write-lock.server.ts); past the connection's busy timeout it is a 503 as before.
    retryWhileBusy(() => save(false), busyTimeoutOf(db.$client)),
  );
}

/**
 * The same save, run inside the caller's immediate transaction (the one writer commits the saves
 * that arrived together once: hot-writes.server.ts): `saveAnswer`'s own transaction becomes a
 * savepoint, so a refusal undoes this save only. What the caller's COMMIT decides is the caller's:
 * it answers only after it.
 */
export function answerSaveInTransaction(db: Db, args: SaveArgs): SaveAnswerReply {
  return answerSaveWith(db, args, (save) => save(true));
}

/**
 * One save around `run`, which calls `save` once (synchronously or retrying later): the parse, the
 * rate limit counted in the save's transaction (refused saves counted after it), every refusal and
 * failure turned into its answer.
 */
function answerSaveWith<R extends SaveAnswerReply | Promise<SaveAnswerReply>>(
  db: Db,
  { userId, attemptId, form, now }: SaveArgs,
  run: (save: (wait: boolean) => SavedAnswer) => SavedAnswer | Promise<SavedAnswer>,
): R {
  const parsed = SaveFields.safeParse(readSaveForm(form));
  if (!parsed.success) return done<R>({ status: 400, body: { ok: false, error: t.attemptErrors.badAnswer, code: "bad_answer" } });
  const { position, option, chosenAt } = parsed.data;
  // The rate limit counts in the save's own transaction (one commit for both), by the wall clock
  // like every limit. A refusal raised inside it rolls the count back with everything else, so
  // such a refusal is counted on its own after: bad requests use up the limit too.
  // eslint-disable-next-line no-restricted-properties -- limits count real seconds, like rate-limiter-flexible's
  const count = () => limitersFor(db).answerSaves.countIn(userId, Date.now(), () => t.attemptErrors.tooFast);
  const failed = (error: unknown): SaveAnswerReply => {
    try {
      if (error instanceof AttemptRefusal && (error.code === "bad_answer" || error.code === "attempt_not_found")) count();
    } catch (limited) {
      return replyToSaveFailure(limited, attemptId);
    }
    return replyToSaveFailure(error, attemptId);
  };
  const saved = (result: SavedAnswer): SaveAnswerReply => ({
    status: 200,
    body: { ok: true, position, chosenAt: chosenAt ?? null, ...result },
  });
  let pending: SavedAnswer | Promise<SavedAnswer>;
  try {
    // Made (and their table created) outside the save's transaction, which a refusal rolls back.
    limitersFor(db);
    const at = now();
    pending = run((wait) =>
      saveAnswer(db, { attemptId, userId, position, chosen: option, now: at, chosenAt: chosenAt ?? null, beforeSave: count, wait }),
    );
  } catch (error) {
    return done<R>(failed(error));
  }
  return (pending instanceof Promise ? pending.then(saved, failed) : saved(pending)) as R;
}

const done = <R>(reply: SaveAnswerReply): R => reply as R;

/** The answer to a save that did not happen: a limit, a refusal, storage trouble; anything else is thrown. */
function replyToSaveFailure(error: unknown, attemptId: string): SaveAnswerReply {
  if (error instanceof RateLimited) {
    return {
      status: 429,
      body: { ok: false, error: error.message, code: "rate_limited", retryAfter: error.retryAfterSeconds },
      headers: { "Retry-After": String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof AttemptRefusal) {
    if (error.code === "bad_answer") return { status: 400, body: { ok: false, error: error.message, code: "bad_answer" } };
    const finished = error.code === "deadline_passed" || error.code === "already_submitted" ? `/bai-thi/${attemptId}/ket-qua` : undefined;
    return { status: error.status, body: { ok: false, error: error.message, code: "refused", finished } };
  }
  // The disk refused the write, or another process held the write lock past the busy timeout:
  // the answer is not saved, and the page keeps it and sends it again.
  if (isWriteLockBusy(error) || noteStorageFailure(error)) {
    return {
      status: 503,
      body: { ok: false, error: ops.unavailable.answerNotSaved, code: "unavailable", retryAfter: RETRY_AFTER_SECONDS },
      headers: retryAfterHeaders,
    };
  }
  throw error;
}
