/**
 * Certificates: who gets one, when, and what it says (docs/decisions/017-posters-and-certificates.md).
 * Pure: the PDF writer (app/.server/certificates) only lays these lines out.
 */
import type { CertificateSigner } from "../../db/schema";
import { printVi } from "~/i18n/print.vi";
import { roundStatus } from "./schedule";
import { formatDate, formatDateTime } from "./time";

export const MAX_SIGNERS = 4;
export const MAX_SIGNER_TITLE = 120;
export const MAX_SIGNER_NAME = 80;

export type CertificateRefusal = "not-closed" | "not-frozen" | "practice" | "draw-pending" | "not-ranked";

interface RoundState {
  opensAt: number;
  closesAt: number;
  resultsComputedAt: number | null;
  practice: boolean;
}

/**
 * Why the judges cannot print a round's winners' certificates yet, or null when they can: the round
 * has closed and its results are stored (the prizes are those of the frozen ranking), a practice
 * contest gives no prizes, and a tied group across a prize boundary must be drawn first (printing
 * it would name someone whose prize is not decided).
 */
export function winnerCertificatesRefusal(round: RoundState, now: number, pendingDraws: number): CertificateRefusal | null {
  if (roundStatus(round, now) !== "closed") return "not-closed";
  if (round.resultsComputedAt === null) return "not-frozen";
  if (round.practice) return "practice";
  if (pendingDraws > 0) return "draw-pending";
  return null;
}

/**
 * Why a member has no certificate of participation for a round, or null: the round has closed, its
 * results are stored, and the member is in them (a finalized attempt, not disqualified). Practice
 * rounds give one too, marked as practice.
 */
export function participationRefusal(round: RoundState, now: number, ranked: boolean): CertificateRefusal | null {
  if (roundStatus(round, now) !== "closed") return "not-closed";
  if (round.resultsComputedAt === null) return "not-frozen";
  if (!ranked) return "not-ranked";
  return null;
}

export function refusalMessage(refusal: CertificateRefusal): string {
  const c = printVi.certificate;
  return {
    "not-closed": c.notClosed,
    "not-frozen": c.notFrozen,
    practice: c.practice,
    "draw-pending": c.drawPending,
    "not-ranked": c.notRanked,
  }[refusal];
}

export interface CertificateInput {
  kind: "winner" | "participation";
  fullName: string;
  branchName: string;
  districtName: string;
  /** The prize (winners only). */
  prize: string | null;
  score: number;
  maxScore: number;
  contestTitle: string;
  practice: boolean;
  roundTitle: string;
  opensAt: number;
  closesAt: number;
  timezone: string;
  signers: CertificateSigner[];
}

/** The text of one certificate, top to bottom. The date is the round's close: stable whenever printed. */
export interface CertificateText {
  country: string;
  motto: string;
  heading: string;
  awardedTo: string;
  name: string;
  unit: string;
  reason: string;
  score: string | null;
  contest: string;
  roundDates: string;
  date: string;
  signers: CertificateSigner[];
}

export function certificateText(input: CertificateInput): CertificateText {
  const c = printVi.certificate;
  const [day, month, year] = formatDate(input.closesAt, input.timezone).split("/") as [string, string, string];
  const reason =
    input.kind === "winner" && input.prize
      ? c.winnerReason(input.prize, input.roundTitle)
      : input.practice
        ? c.practiceReason(input.roundTitle)
        : c.participationReason(input.roundTitle);
  return {
    country: c.country,
    motto: c.motto,
    heading: c.heading,
    awardedTo: c.awardedTo,
    name: input.fullName,
    unit: c.unit(input.branchName, input.districtName),
    reason,
    // A participation certificate states the score; a prize says enough on its own.
    score: input.kind === "participation" ? c.score(input.score, input.maxScore) : null,
    contest: c.contest(input.contestTitle),
    roundDates: c.roundDates(formatDateTime(input.opensAt, input.timezone), formatDateTime(input.closesAt, input.timezone)),
    date: c.date(day, month, year),
    signers: input.signers.slice(0, MAX_SIGNERS),
  };
}

/** The console's text box: one signer a line, `title | name`. */
export function parseSignerLines(text: string): { signers: CertificateSigner[] } | { error: string } {
  const signers: CertificateSigner[] = [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const parts = line.split("|").map((p) => p.replace(/\s+/g, " ").trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) return { error: printVi.signers.badLine(i + 1) };
    if (parts[0].length > MAX_SIGNER_TITLE || parts[1].length > MAX_SIGNER_NAME) return { error: printVi.signers.tooLong(i + 1) };
    signers.push({ title: parts[0], name: parts[1] });
  }
  if (signers.length > MAX_SIGNERS) return { error: printVi.signers.tooMany(MAX_SIGNERS) };
  return { signers };
}

export function signerLines(signers: CertificateSigner[]): string {
  return signers.map((s) => `${s.title} | ${s.name}`).join("\n");
}
