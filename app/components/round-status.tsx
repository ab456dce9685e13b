import type { RoundStatus } from "~/domain/schedule";
import { t } from "~/i18n/vi";

const styles: Record<RoundStatus, string> = {
  upcoming: "bg-sky-100 text-sky-900 ring-sky-300",
  open: "bg-green-100 text-green-900 ring-green-400",
  closed: "bg-slate-200 text-slate-800 ring-slate-300",
};

export function RoundStatusBadge({ status }: { status: RoundStatus }) {
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-semibold ring-1 ${styles[status]}`}>{t.status[status]}</span>
  );
}
