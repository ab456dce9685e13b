/**
 * Participants over time, cumulative, as a server-rendered SVG: no JavaScript, no library, as wide
 * as its column (a phone's 360 px or a desktop's), with its numbers as text for screen readers.
 * The SVG carries only shapes (scaled, strokes kept thin by `non-scaling-stroke`); every label is
 * HTML text, because the Content-Security-Policy forbids inline styles and a stretched SVG text.
 */
import { formatNumber } from "~/domain/format";

export interface ChartPoint {
  label: string;
  total: number;
}

const W = 100;
const H = 40;

export function CumulativeChart({
  title,
  summary,
  points,
  headers,
}: {
  title: string;
  summary: string;
  points: ChartPoint[];
  headers: { at: string; total: string };
}) {
  const max = Math.max(1, ...points.map((p) => p.total));
  const step = points.length > 1 ? W / (points.length - 1) : W;
  const coords = points.map((p, i) => `${(i * step).toFixed(2)},${(H - (p.total / max) * H).toFixed(2)}`);
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure className="mb-5" data-testid="participants-chart">
      <figcaption className="mb-1 font-semibold">{title}</figcaption>
      <p className="mb-2 text-sm text-slate-700">{summary}</p>
      <div className="flex gap-2">
        <div className="flex flex-col justify-between text-right text-xs tabular-nums text-slate-700" aria-hidden="true">
          <span>{formatNumber(max)}</span>
          <span>0</span>
        </div>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          className="h-40 w-full min-w-0 rounded border border-slate-200 bg-slate-50 sm:h-56"
          role="img"
          aria-label={`${title}. ${summary}`}
          focusable="false"
        >
          {[0.25, 0.5, 0.75].map((f) => (
            <line key={f} x1="0" x2={W} y1={H * f} y2={H * f} stroke="#cbd5e1" strokeWidth="1" vectorEffect="non-scaling-stroke" />
          ))}
          {coords.length > 0 && (
            <polygon
              points={`0,${H} ${coords.join(" ")} ${((points.length - 1) * step).toFixed(2)},${H}`}
              fill="#1d5fbf"
              fillOpacity="0.15"
            />
          )}
          {coords.length > 0 && (
            <polyline
              points={coords.join(" ")}
              fill="none"
              stroke="#1d5fbf"
              strokeWidth="2.5"
              vectorEffect="non-scaling-stroke"
              strokeLinejoin="round"
            />
          )}
        </svg>
      </div>
      {first && last && (
        <div className="ml-6 mt-1 flex justify-between gap-2 text-xs text-slate-700" aria-hidden="true">
          <span>{first.label}</span>
          <span>{last.label}</span>
        </div>
      )}
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{headers.at}</th>
              <th scope="col">{headers.total}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr key={i}>
                <th scope="row">{p.label}</th>
                <td>{formatNumber(p.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
