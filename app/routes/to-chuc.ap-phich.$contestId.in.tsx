import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { getContest } from "~/.server/contests.server";
import { publicOrigin } from "~/.server/env.server";
import { districtPosterBranches, posterBranch, posterDistrict, qrSvg } from "~/.server/posters.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PrintedLink } from "~/components/printed-link";
import { parseCode, posterUrl, printedLink } from "~/domain/poster-link";
import { formatDateTime } from "~/domain/time";
import { printVi } from "~/i18n/print.vi";
import { t } from "~/i18n/vi";
import printCss from "~/print.css?url";

const p = printVi.poster;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

/**
 * A printable A4 poster for one branch (`?cdcs=<branch code>`), or one sheet with the QR codes of
 * every branch of a district (`?huyen=<district code>`). The QR codes are inline SVG made on the
 * server (no script, no image request), so the page prints the same from a phone or a desktop.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const db = getDb();
  const contest = getContest(db, params.contestId ?? "");
  if (!contest) throw new Response(t.contest.notFound, { status: 404 });
  const url = new URL(request.url);
  const tz = contest.timezone;
  const head = {
    id: contest.id,
    title: contest.title,
    rounds: contest.rounds.map((r) => p.roundLine(r.title, formatDateTime(r.opensAt, tz), formatDateTime(r.closesAt, tz))),
  };
  // The printed link must work from anywhere: PUBLIC_URL when set, else the address in use.
  const origin = publicOrigin(request);
  const poster = async (branch: { id: string; name: string }) => {
    const link = posterUrl(origin, contest.id, branch.id);
    return { id: branch.id, name: branch.name, link: printedLink(link), svg: await qrSvg(link) };
  };

  const branchCode = parseCode(url.searchParams.get("cdcs"));
  if (branchCode) {
    const branch = posterBranch(db, branchCode);
    if (!branch) throw new Response(p.unknownBranch, { status: 404 });
    return {
      contest: head,
      kind: "branch" as const,
      districtName: branch.districtName,
      districtId: branch.districtId,
      mergedNote: branch.mergedFrom ? p.mergedNote(branch.name) : null,
      posters: [await poster(branch)],
    };
  }
  const districtCode = parseCode(url.searchParams.get("huyen"));
  const district = districtCode ? posterDistrict(db, districtCode) : undefined;
  if (!district) throw new Response(districtCode ? p.unknownDistrict : p.chooseWhat, { status: 404 });
  const posters = await Promise.all(districtPosterBranches(db, district.id).map(poster));
  return { contest: head, kind: "district" as const, districtName: district.name, districtId: district.id, mergedNote: null, posters };
}

function Rounds({ rounds }: { rounds: string[] }) {
  return (
    <div className="text-center">
      <p className="font-semibold">{p.rounds}</p>
      <ul className="text-sm sm:text-base">
        {rounds.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </div>
  );
}

export default function PrintPosters() {
  const { contest, kind, districtName, districtId, mergedNote, posters } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="no-print mb-4">
        <p className="mb-2 text-sm">
          <Link to={`/to-chuc/ap-phich/${contest.id}?huyen=${districtId}`} className="text-brand-700 underline">
            {p.back}
          </Link>
        </p>
        <p className="rounded-lg bg-slate-100 p-3 text-sm text-slate-800">{p.printHint}</p>
        {mergedNote && <p className="mt-2 rounded-lg bg-amber-50 p-3 text-sm text-amber-900">{mergedNote}</p>}
      </div>
      {kind === "branch" ? (
        posters.map((poster) => (
          <article
            key={poster.id}
            className="poster mb-6 rounded-xl border-2 border-brand-700 bg-white p-4 text-center text-slate-900"
            aria-label={poster.name}
          >
            <header>
              <h1 className="poster-title mb-3 text-xl font-bold leading-snug text-brand-800 sm:text-2xl">{contest.title}</h1>
              <Rounds rounds={contest.rounds} />
            </header>
            <div className="my-4">
              <p className="poster-scan mb-3 text-2xl font-bold sm:text-3xl">{p.scan}</p>
              <div
                className="poster-qr mx-auto w-full max-w-xs"
                role="img"
                aria-label={p.qrLabel(poster.name)}
                // The SVG is made on the server from our own link by the qrcode library.
                dangerouslySetInnerHTML={{ __html: poster.svg }}
              />
              <p className="mt-1 text-sm text-slate-700">{p.orOpen}</p>
              <p className="poster-link break-words font-mono text-base font-semibold sm:text-lg">
                <PrintedLink link={poster.link} />
              </p>
            </div>
            <footer>
              <p className="text-lg font-bold">{poster.name}</p>
              <p>{districtName}</p>
            </footer>
          </article>
        ))
      ) : (
        <article className="bg-white text-slate-900">
          <header className="mb-4 text-center">
            <h1 className="poster-title mb-2 text-xl font-bold leading-snug text-brand-800">{contest.title}</h1>
            <p className="mb-2 text-lg font-semibold">{p.districtSheetTitle(districtName)}</p>
            <Rounds rounds={contest.rounds} />
            <p className="mt-2 text-xl font-bold">{p.scan}</p>
          </header>
          <ul className="sheet-grid grid grid-cols-1 gap-3 sm:grid-cols-2">
            {posters.map((poster) => (
              <li key={poster.id} className="sheet-card rounded-xl border border-slate-300 p-3 text-center">
                <p className="font-bold">{poster.name}</p>
                <div
                  className="poster-qr mx-auto w-48"
                  role="img"
                  aria-label={p.qrLabel(poster.name)}
                  dangerouslySetInnerHTML={{ __html: poster.svg }}
                />
                <p className="break-words font-mono text-sm font-semibold">
                  <PrintedLink link={poster.link} />
                </p>
              </li>
            ))}
          </ul>
        </article>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data ? (data.kind === "branch" ? `${data.posters[0]?.name} · ${data.contest.title}` : p.districtSheetTitle(data.districtName)) : p.link} · ${t.site.name}`,
  },
];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
