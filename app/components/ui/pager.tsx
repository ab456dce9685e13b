import { Link } from "@remix-run/react";
import { uiStrings } from "~/i18n/ui.vi";
import { t } from "~/i18n/vi";

/**
 * "← Trang trước · Trang 2/5 · Trang sau →" under a long list: plain links, so it works without
 * JavaScript; nothing when everything fits on one page. `href` keeps the list's filters.
 */
export function Pager({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  const link = "rounded-lg border border-slate-300 bg-white px-3 py-2 font-semibold";
  return (
    <nav aria-label={uiStrings.pagination} className="my-3 flex items-center justify-between gap-2">
      {page > 1 ? (
        <Link to={href(page - 1)} className={link}>
          {t.board.previous}
        </Link>
      ) : (
        <span />
      )}
      <span className="text-sm">{t.board.page(page, pages)}</span>
      {page < pages ? (
        <Link to={href(page + 1)} className={link}>
          {t.board.next}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
