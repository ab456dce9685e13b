/**
 * Which rows of `round_results` / `contest_results` readers see: those of the version the round
 * (the contest) points at. A store writes a new version beside the visible one in short
 * transactions and then switches the pointer (docs/decisions/020-results-versions.md), so every
 * reader filters on the visible version and never sees a half-written ranking.
 */
import { type SQL, and, eq, sql } from "drizzle-orm";
import { contestResults, contests, roundResults, rounds } from "../../../db/schema";

/** The visible rows of a round's ranking (the query builder's `where`). */
export function visibleRoundRows(roundId: number): SQL {
  return and(
    eq(roundResults.roundId, roundId),
    eq(roundResults.version, sql`(select ${rounds.resultsVersion} from ${rounds} where ${rounds.id} = ${roundId})`),
  )!;
}

/** The visible rows of a contest's overall ranking (the query builder's `where`). */
export function visibleContestRows(contestId: string): SQL {
  return and(
    eq(contestResults.contestId, contestId),
    eq(contestResults.version, sql`(select ${contests.resultsVersion} from ${contests} where ${contests.id} = ${contestId})`),
  )!;
}

/** For plain SQL over `round_results` aliased `alias`: the round's visible rows. */
export function visibleRoundSql(alias: string, roundId: number): SQL {
  const a = sql.raw(alias);
  return sql`${a}.round_id = ${roundId} and ${a}.version = (select results_version from ${rounds} where id = ${roundId})`;
}

/** A join condition: `round_results` (aliased `results`) rows of the visible version of `round` (aliased). */
export function visibleJoinSql(results: string, round: string): SQL {
  return sql.raw(`${round}.id = ${results}.round_id and ${round}.results_version = ${results}.version`);
}
