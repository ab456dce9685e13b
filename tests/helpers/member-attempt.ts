/** The set-up of the answer-save tests: the seeded contest, one member signed in, their attempt started at NOW. */
import { startAttempt } from "~/.server/attempts.server";
import type { Db } from "../../db/client";
import { createUser, NOW, roundIdOf, seedContent, sessionCookie } from "../integration/helpers";

export async function memberWithAttempt(db: Db): Promise<{ userId: string; cookie: string; attemptId: string }> {
  seedContent(db);
  const userId = createUser(db);
  const cookie = await sessionCookie(db, userId);
  const { attemptId } = startAttempt(db, { roundId: roundIdOf(db), userId, now: NOW });
  return { userId, cookie, attemptId };
}
