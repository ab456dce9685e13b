import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { listBanks } from "~/.server/banks.server";
import { listContests } from "~/.server/contests.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { buttonClass } from "~/components/ui/field";
import { formatDateTime } from "~/domain/time";
import { docxMessages } from "~/i18n/docx.vi";
import { historyStrings } from "~/i18n/history.vi";
import { printVi } from "~/i18n/print.vi";
import { t } from "~/i18n/vi";
import { Card } from "~/components/ui/card";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const db = getDb();
  return {
    banks: listBanks(db).map((b) => ({ ...b, updated: formatDateTime(b.updatedAt, "Asia/Ho_Chi_Minh") })),
    contests: listContests(db).map((c) => ({
      id: c.id,
      title: c.title,
      rounds: c.rounds.map((r) => ({ number: r.number, title: r.title })),
    })),
  };
}

export default function OrganizerHome() {
  const { banks, contests } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="mb-4 text-2xl font-bold">{t.organizer.title}</h1>
      <p className="mb-5 flex flex-wrap gap-x-4 gap-y-1">
        <Link to="/to-chuc/thanh-vien" className="font-semibold text-brand-700 underline">
          {t.organizer.membersTitle}
        </Link>
        <Link to="/to-chuc/don-vi" className="font-semibold text-brand-700 underline">
          {t.units.title}
        </Link>
        <Link to="/to-chuc/nhat-ky" className="font-semibold text-brand-700 underline">
          {historyStrings.audit.link}
        </Link>
      </p>
      <section aria-labelledby="banks" className="mb-6">
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <h2 id="banks" className="text-xl font-bold">
            {t.organizer.banks}
          </h2>
          <Link to="/to-chuc/bo-cau-hoi/moi" className={buttonClass}>
            {t.organizer.newBank}
          </Link>
        </div>
        <ul className="space-y-2">
          {banks.map((bank) => (
            <Card as="li" key={bank.id} padding="tight">
              <Link to={`/to-chuc/bo-cau-hoi/${bank.id}`} className="font-semibold text-brand-800 underline">
                {bank.title}
              </Link>
              <p className="text-sm text-slate-700">
                <code>{bank.id}</code> · {t.organizer.questions(bank.questionCount)} · {t.organizer.updated(bank.updated)}
              </p>
            </Card>
          ))}
        </ul>
      </section>
      <section aria-labelledby="contests">
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <h2 id="contests" className="text-xl font-bold">
            {t.organizer.contests}
          </h2>
          <Link to="/to-chuc/cuoc-thi/moi" className={buttonClass}>
            {t.contestAdmin.newContest}
          </Link>
        </div>
        <ul className="space-y-2">
          {contests.map((contest) => (
            <Card as="li" key={contest.id} padding="tight">
              <Link to={`/cuoc-thi/${contest.id}`} className="font-semibold text-brand-800 underline">
                {contest.title}
              </Link>
              <p className="flex flex-wrap gap-x-3 text-sm">
                <Link to={`/to-chuc/cuoc-thi/${contest.id}`} className="font-semibold text-brand-700 underline">
                  {t.contestAdmin.edit}
                </Link>
                <Link to={`/cuoc-thi/${contest.id}/xep-hang`} className="text-brand-700 underline">
                  {t.organizer.viewBoard}
                </Link>
                <Link to={`/to-chuc/ap-phich/${contest.id}`} className="text-brand-700 underline">
                  {printVi.poster.link}
                </Link>
              </p>
              <ul className="mt-1 flex flex-wrap gap-x-3 text-sm">
                {contest.rounds.map((round) => (
                  <li key={round.number}>
                    <Link to={`/to-chuc/theo-doi/${contest.id}/${round.number}`} className="text-brand-700 underline">
                      {t.monitor.link}: {round.title}
                    </Link>
                    {" · "}
                    {/* No `download` attribute: a round that cannot fill its paper answers with a message to read. */}
                    <a href={`/to-chuc/cuoc-thi/${contest.id}/vong/${round.number}/de-thi`} className="text-brand-700 underline">
                      {docxMessages.paperLink(round.title)}
                    </a>
                  </li>
                ))}
              </ul>
            </Card>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.organizer.title} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
