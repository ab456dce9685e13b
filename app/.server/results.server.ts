/**
 * Results: computed with app/domain/ranking.ts when a round closes, stored in round_results and
 * contest_results, and read from there by every leaderboard and export. A judge's decision
 * (disqualify, reinstate, a draw) recomputes and stores again, and says so in the audit log.
 *
 * The code lives along its seams (docs/decisions/021-layers-and-walls.md): freezing in
 * ./results/freeze.server.ts, the judges' decisions in ./results/decisions.server.ts, reading the
 * rankings in ./results/read.server.ts, round lookups in ./rounds.server.ts. This module gathers
 * them for the callers that import them from here.
 */
export { computeRoundRanking, freezeClosedRounds, rankableAttempts, storeRoundResults } from "./results/freeze.server";
export { disqualify, listDisqualified, recordDraw, reinstate, rescoreRound, tiedGroups } from "./results/decisions.server";
export * from "./results/read.server";
export { findRound, roundWithContest, type RoundWithContest } from "./rounds.server";
export { roundStatus } from "~/domain/schedule";
