/**
 * QR posters per branch: the branch a poster link names, the branches of a district to print, and
 * how many members came through each branch's poster (docs/decisions/017-posters-and-certificates.md).
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import QRCode from "qrcode";
import type { Db } from "../../db/client";
import { branches, districts } from "../../db/schema";

export interface PosterBranch {
  id: string;
  name: string;
  districtId: string;
  districtName: string;
  /** The branch the code was merged into, when it was (the poster then leads there). */
  mergedFrom: string | null;
}

/** A branch by code, following merges to the branch members join today; undefined if unknown. */
export function posterBranch(db: Db, code: string): PosterBranch | undefined {
  let id = code;
  let mergedFrom: string | null = null;
  // A merge chain is short; the bound only guards against a loop in hand-edited data.
  for (let hop = 0; hop < 10; hop++) {
    const row = db
      .select({
        id: branches.id,
        name: branches.name,
        districtId: branches.districtId,
        districtName: districts.name,
        mergedIntoId: branches.mergedIntoId,
      })
      .from(branches)
      .innerJoin(districts, eq(districts.id, branches.districtId))
      .where(eq(branches.id, id))
      .get();
    if (!row) return undefined;
    if (!row.mergedIntoId) return { id: row.id, name: row.name, districtId: row.districtId, districtName: row.districtName, mergedFrom };
    mergedFrom ??= row.id;
    id = row.mergedIntoId;
  }
  return undefined;
}

export function posterDistrict(db: Db, districtId: string) {
  return db.select({ id: districts.id, name: districts.name }).from(districts).where(eq(districts.id, districtId)).get();
}

/** The branches of a district that members can join, in the list's order. */
export function districtPosterBranches(db: Db, districtId: string) {
  return db
    .select({ id: branches.id, name: branches.name })
    .from(branches)
    .where(and(eq(branches.districtId, districtId), isNull(branches.mergedIntoId)))
    .orderBy(asc(branches.position))
    .all();
}

export interface DistrictPosterSummary {
  id: string;
  name: string;
  branches: number;
  /** Branches at least one member registered through. */
  branchesWithRegistrations: number;
  registered: number;
}

/**
 * Per district: its branches, how many have had a registration through their poster, and how many
 * registrations. The users are grouped on the `users_via_branch` index first (a covering scan, no
 * row read), then joined to the few thousand branches: fast at 100,000 members.
 */
export function posterSummaryByDistrict(db: Db): DistrictPosterSummary[] {
  return db.all<DistrictPosterSummary>(sql`
    with via as (
      select via_branch_id as branch_id, count(*) as n from users where via_branch_id is not null group by via_branch_id
    )
    select d.id as id, d.name as name,
           count(b.id) as branches,
           count(via.branch_id) as branchesWithRegistrations,
           coalesce(sum(via.n), 0) as registered
    from ${districts} d
    left join ${branches} b on b.district_id = d.id and b.merged_into_id is null
    left join via on via.branch_id = b.id
    group by d.id
    order by d.position`);
}

export interface BranchPosterStats {
  id: string;
  name: string;
  registered: number;
  participants: number;
  attempts: number;
}

/**
 * One district's branches with what came through each one's poster: members who registered
 * through it, and of them how many took part in this contest and how many attempts they started.
 * One grouped query over the district's poster members only (index `users_via_branch`, then each
 * member's attempts by the attempts' round/member index).
 */
export function branchPosterStats(db: Db, contestId: string, districtId: string): BranchPosterStats[] {
  return db.all<BranchPosterStats>(sql`
    with via as (
      select u.via_branch_id as branch_id,
             count(distinct u.id) as registered,
             count(distinct a.user_id) as participants,
             count(a.id) as attempts
      from users u
      left join attempts a on a.user_id = u.id and a.round_id in (select id from rounds where contest_id = ${contestId})
      where u.via_branch_id in (select id from branches where district_id = ${districtId})
      group by u.via_branch_id
    )
    select b.id as id, b.name as name,
           coalesce(via.registered, 0) as registered,
           coalesce(via.participants, 0) as participants,
           coalesce(via.attempts, 0) as attempts
    from ${branches} b
    left join via on via.branch_id = b.id
    where b.district_id = ${districtId} and b.merged_into_id is null
    order by b.position`);
}

/** The QR code of a link as an SVG document (inline in the page, crisp at any print size). */
export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2, color: { dark: "#000000", light: "#ffffff" } });
}
