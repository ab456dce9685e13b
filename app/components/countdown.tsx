import { useEffect, useState } from "react";
import { splitDuration } from "~/domain/schedule";
import { t } from "~/i18n/vi";

/** "2 ngày 3 giờ", "5 phút 12 giây": the two largest units that matter. */
export function formatRemaining(ms: number): string {
  const { days, hours, minutes, seconds } = splitDuration(ms);
  const c = t.countdown;
  if (days > 0) return [c.days(days), hours > 0 && c.hours(hours)].filter(Boolean).join(" ");
  if (hours > 0) return [c.hours(hours), minutes > 0 && c.minutes(minutes)].filter(Boolean).join(" ");
  if (minutes > 0) return [c.minutes(minutes), c.seconds(seconds)].join(" ");
  return c.seconds(seconds);
}

/**
 * Time left until `target`. The server renders it from its own clock (`serverNow`), so it reads
 * right without JavaScript; with JavaScript it ticks, keeping the server's offset.
 */
export function Countdown({ label, target, serverNow }: { label: string; target: number; serverNow: number }) {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const skew = serverNow - Date.now();
    const tick = () => setNow(Date.now() + skew);
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [serverNow]);
  const remaining = target - now;
  return (
    <p className="text-base">
      <span>{label} </span>
      <strong className="tabular-nums" role="timer" aria-live="off">
        {remaining > 0 ? formatRemaining(remaining) : t.countdown.refresh}
      </strong>
    </p>
  );
}
