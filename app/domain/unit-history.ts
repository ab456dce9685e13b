/**
 * Units change (renames, merges); results keep them as they were. One rule decides what a
 * leaderboard link naming a branch shows (docs/decisions/009-history-and-audit.md).
 */

export interface LinkedBranch {
  id: string;
  /** The branch it was merged into, or null while it stands on its own. */
  mergedIntoId: string | null;
}

export type BranchLinkOutcome = { show: string } | { redirectTo: string; mergedFrom: string };

/**
 * A branch that stands on its own is shown. A merged branch is shown only where the past names it:
 * a closed round (or a finished contest's overall ranking) whose stored results hold it. Anywhere
 * else — an open or coming round, a round in which it took no part — the link follows the merge to
 * the branch it was merged into (`mergedIntoId` always names a branch that stands on its own).
 */
export function branchLinkOutcome(branch: LinkedBranch, { historyHoldsIt }: { historyHoldsIt: boolean }): BranchLinkOutcome {
  if (branch.mergedIntoId === null || historyHoldsIt) return { show: branch.id };
  return { redirectTo: branch.mergedIntoId, mergedFrom: branch.id };
}
