import type { LoaderFunctionArgs } from "@remix-run/node";
import { metricsContentType, metricsText, requireMetricsReader } from "~/.server/metrics.server";
import { ops } from "~/i18n/ops.vi";

/**
 * Prometheus's scrape target (README, "Theo dõi"): readable from the addresses in METRICS_ALLOW
 * (default: this machine) or by a logged-in admin. With one worker per core it is the sum over
 * every worker (app/.server/metrics.server.ts).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMetricsReader(request, context.clientIp);
  try {
    return new Response(await metricsText(), { headers: { "Content-Type": metricsContentType, "Cache-Control": "no-store" } });
  } catch {
    return new Response(ops.metrics.unavailable, {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5" },
    });
  }
}
