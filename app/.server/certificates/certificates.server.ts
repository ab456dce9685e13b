/**
 * Who is on a round's certificates, read from its stored results (the ranking and prizes frozen
 * at close, the units named as they were then), and the heavy job that writes the PDF.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { branches, contests, districts, roundResults, roundUnitNames, users } from "../../../db/schema";
import { certificateText, type CertificateText } from "~/domain/certificates";
import { roundLeaderboardAll, roundWithContest, type RoundWithContest } from "../results.server";
import { contentDisposition } from "../exports/csv.server";
import { visibleRoundSql } from "../results/versions.server";
import { writeCertificatesPdf } from "./pdf.server";

type Conn = Pick<Db, "all" | "get" | "select">;

/** Tied groups across a prize boundary still waiting for a draw. */
export function pendingDrawCount(db: Db, roundId: number): number {
  return (
    db.get<{ n: number }>(sql`select count(*) as n from ${roundResults} r where ${visibleRoundSql("r", roundId)} and r.draw_pending = 1`)
      ?.n ?? 0
  );
}

export function winnerCount(db: Db, roundId: number): number {
  return (
    db.get<{ n: number }>(
      sql`select count(*) as n from ${roundResults} r where ${visibleRoundSql("r", roundId)} and r.prize is not null and r.draw_pending = 0`,
    )?.n ?? 0
  );
}

/** The member's row in the round's stored results (they finished it and were not disqualified). */
export function memberResult(db: Conn, roundId: number, userId: string) {
  return db.get<{ fullName: string; district: string; branch: string; score: number; maxScore: number; prize: string | null }>(sql`
    select u.full_name as fullName, coalesce(dn.name, d.name) as district, coalesce(bn.name, b.name) as branch,
           r.score as score, r.max_score as maxScore, r.prize as prize
    from ${roundResults} r
    join ${users} u on u.id = r.user_id
    join ${districts} d on d.id = r.district_id
    join ${branches} b on b.id = r.branch_id
    left join ${roundUnitNames} dn on dn.round_id = r.round_id and dn.kind = 'district' and dn.unit_id = r.district_id
    left join ${roundUnitNames} bn on bn.round_id = r.round_id and bn.kind = 'branch' and bn.unit_id = r.branch_id
    where ${visibleRoundSql("r", roundId)} and r.user_id = ${userId}`);
}

function signersOf(db: Conn, contestId: string) {
  return db.get<{ signers: string }>(sql`select certificate_signers as signers from ${contests} where id = ${contestId}`)?.signers;
}

function base(db: Conn, round: RoundWithContest) {
  const raw = signersOf(db, round.contestId);
  return {
    contestTitle: round.contestTitle,
    practice: round.practice,
    roundTitle: round.title,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    timezone: round.timezone,
    signers: raw ? (JSON.parse(raw) as { title: string; name: string }[]) : [],
  };
}

/** The winners' certificates of a round, in ranking order: decided prizes only. */
export function winnerCertificates(db: Db, round: RoundWithContest): CertificateText[] {
  const common = base(db, round);
  return roundLeaderboardAll(db, round.id, { prizedOnly: true })
    .filter((r) => r.prize !== null && !r.drawPending)
    .map((r) =>
      certificateText({
        ...common,
        kind: "winner",
        fullName: r.fullName,
        branchName: r.branch,
        districtName: r.district,
        prize: r.prize,
        score: r.score,
        maxScore: r.maxScore,
      }),
    );
}

/** A member's certificate of participation in a round, or null when they are not in its results. */
export function participationCertificate(db: Db, round: RoundWithContest, userId: string): CertificateText | null {
  const row = memberResult(db, round.id, userId);
  if (!row) return null;
  return certificateText({
    ...base(db, round),
    kind: "participation",
    fullName: row.fullName,
    branchName: row.branch,
    districtName: row.district,
    prize: null,
    score: row.score,
    maxScore: row.maxScore,
  });
}

export interface CertificateJob {
  roundId: number;
  /** A member's certificate of participation; absent: the round's winners. */
  userId?: string;
}

/** The heavy job: writes the PDF, streaming its bytes; returns the number of pages. */
export function certificatesJob(db: Db, { roundId, userId }: CertificateJob, push: (chunk: Uint8Array) => void): number {
  const round = roundWithContest(db, roundId);
  if (!round) throw new Error(`round ${roundId} not found`);
  const pages = userId
    ? [participationCertificate(db, round, userId)].filter((c): c is CertificateText => c !== null)
    : winnerCertificates(db, round);
  if (pages.length === 0) throw new Error(`no certificate for round ${roundId}${userId ? ` and user ${userId}` : ""}`);
  writeCertificatesPdf(pages, round.closesAt, push);
  return pages.length;
}

/** A PDF download: streamed, never cached (a judge's decision may change the winners). */
export function pdfResponse(filename: string, body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** A refusal as a short Vietnamese text page (the link that led here was a plain download). */
export function refusal(message: string, status: number): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
