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

/**
 * One answer save as the quiz page's script posts it (`POST /bai-thi/:id/tra-loi`, a small form,
 * JSON asked for). `as` is the session cookie and `origin` the Origin header; null leaves it out.
 */
export async function postSave(
  base: string,
  {
    id,
    position,
    options,
    as,
    origin,
    chosenAt,
    contentType = "application/x-www-form-urlencoded",
  }: {
    id: string;
    position: number;
    options: number[];
    as: string | null;
    origin: string | null;
    chosenAt?: number;
    contentType?: string;
  },
) {
  const body = new URLSearchParams([["position", String(position)], ...options.map((o) => ["option", String(o)])]);
  if (chosenAt !== undefined) body.set("chosenAt", String(chosenAt));
  const headers: Record<string, string> = { "Content-Type": contentType, Accept: "application/json" };
  if (as) headers.Cookie = as;
  if (origin) headers.Origin = origin;
  const response = await fetch(`${base}/bai-thi/${id}/tra-loi`, { method: "POST", headers, body, redirect: "manual" });
  const json = response.headers.get("Content-Type")?.includes("json") ? ((await response.json()) as Record<string, unknown>) : null;
  return { status: response.status, body: json, headers: response.headers };
}
