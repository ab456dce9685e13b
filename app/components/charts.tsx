/**
 * Server-rendered SVG charts: readable at a glance on a phone, no JavaScript, no library.
 * Every chart also carries its numbers as text (a title and a table for screen readers).
 */
import { formatNumber } from "./format";

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
  const rowHeight = 34;
  const height = rows.length * rowHeight;
  return (
    <figure className="mb-5">
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <svg viewBox={`0 0 320 ${height}`} width="100%" role="img" aria-label={title} className="max-w-xl">
        {rows.map((row, i) => {
          const width = Math.max(2, (row.value / max) * 190);
          const y = i * rowHeight;
          return (
            <g key={row.label} transform={`translate(0 ${y})`}>
              <text x="0" y="13" fontSize="12" fill="#1e293b">
                {row.label.length > 34 ? `${row.label.slice(0, 33)}…` : row.label}
              </text>
              <rect x="0" y="17" width={width} height="12" rx="2" fill={row.highlight ? "#b45309" : "#1d5fbf"} />
              <text x={width + 6} y="28" fontSize="12" fill="#0f172a" fontWeight="600">
                {formatNumber(row.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
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
    </figure>
  );
}

export function Columns({ title, columns, unit }: { title: string; columns: { label: string; value: number }[]; unit: string }) {
  const max = Math.max(1, ...columns.map((c) => c.value));
  const width = 320;
  const chartHeight = 120;
  const slot = width / Math.max(1, columns.length);
  const barWidth = Math.min(36, slot * 0.7);
  // Labels need about 28 units each: with many columns, label every second or third one.
  const labelEvery = Math.max(1, Math.ceil(28 / slot));
  return (
    <figure className="mb-5">
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${chartHeight + 36}`} width="100%" role="img" aria-label={title} className="max-w-xl">
        {columns.map((column, i) => {
          const h = Math.max(1, (column.value / max) * chartHeight);
          const x = i * slot + (slot - barWidth) / 2;
          return (
            <g key={column.label}>
              <rect x={x} y={chartHeight - h + 14} width={barWidth} height={h} rx="2" fill="#1d5fbf" />
              {i % labelEvery === 0 && (
                <>
                  <text x={x + barWidth / 2} y={chartHeight - h + 10} fontSize="10" textAnchor="middle" fill="#0f172a">
                    {formatNumber(column.value)}
                  </text>
                  <text x={x + barWidth / 2} y={chartHeight + 30} fontSize="10" textAnchor="middle" fill="#334155">
                    {column.label}
                  </text>
                </>
              )}
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {columns.map((column) => (
            <tr key={column.label}>
              <th scope="row">{column.label}</th>
              <td>
                {formatNumber(column.value)} {unit}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
