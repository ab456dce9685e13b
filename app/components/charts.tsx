/**
 * Server-rendered SVG charts: readable at a glance on a phone, no JavaScript, no library.
 * Every chart also carries its numbers as text (a title and a table for screen readers).
 */
import { formatNumber } from "~/domain/format";

export function HorizontalBars({
  title,
  rows,
  unit,
}: {
  title: string;
  rows: { label: string; value: number; highlight?: boolean }[];
  unit: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  // Labels and numbers are HTML text (14 px, growing with the reader's text size); only the bar is
  // SVG, sized by attributes, because the Content-Security-Policy forbids inline styles.
  return (
    <figure className="mb-5">
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <div role="img" aria-label={title} className="max-w-xl space-y-1.5">
        {rows.map((row) => (
          <div key={row.label} className="text-sm">
            <span className="block truncate text-slate-800" title={row.label}>
              {row.label}
            </span>
            <span className="flex items-center gap-2">
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="h-3 w-3/4 shrink-0" focusable="false">
                <rect
                  x="0"
                  y="0"
                  width={Math.max(1, (row.value / max) * 100)}
                  height="10"
                  rx="1"
                  fill={row.highlight ? "#b45309" : "#1d5fbf"}
                />
              </svg>
              <span className="font-semibold tabular-nums text-slate-900">{formatNumber(row.value)}</span>
            </span>
          </div>
        ))}
      </div>
      <ChartNumbers title={title} rows={rows} unit={unit} />
    </figure>
  );
}

export function Columns({ title, columns, unit }: { title: string; columns: { label: string; value: number }[]; unit: string }) {
  const max = Math.max(1, ...columns.map((c) => c.value));
  // A label needs about 3 rem at 12 px: on a phone, with many columns, label every second or third.
  const labelEvery = Math.max(1, Math.ceil(columns.length / 7));
  return (
    <figure className="mb-5">
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <div role="img" aria-label={title} className="flex max-w-xl items-end gap-1">
        {columns.map((column, i) => (
          <div key={column.label} className="flex min-w-0 flex-1 flex-col items-center text-xs">
            <span className="font-semibold tabular-nums text-slate-900">
              {i % labelEvery === 0 ? formatNumber(column.value) : "\u00a0"}
            </span>
            <svg viewBox="0 0 10 100" preserveAspectRatio="none" className="h-28 w-full max-w-9" focusable="false">
              <rect
                x="0"
                y={100 - Math.max(1, (column.value / max) * 100)}
                width="10"
                height={Math.max(1, (column.value / max) * 100)}
                fill="#1d5fbf"
              />
            </svg>
            <span className="mt-1 whitespace-nowrap text-slate-700">{i % labelEvery === 0 ? column.label : "\u00a0"}</span>
          </div>
        ))}
      </div>
      <ChartNumbers title={title} rows={columns} unit={unit} />
    </figure>
  );
}

/** A chart's numbers as text for screen readers. In a div: a table ignores `width: 1px` and made the page scroll sideways at 320 px. */
function ChartNumbers({ title, rows, unit }: { title: string; rows: { label: string; value: number }[]; unit: string }) {
  return (
    <div className="sr-only">
      <table>
        <caption>{title}</caption>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>
                {formatNumber(row.value)} {unit}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
