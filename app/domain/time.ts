/**
 * Instants are UTC milliseconds; people see them in the contest's timezone, 24-hour clock,
 * dd/mm/yyyy. These functions convert between the two without a date library: the runtime's
 * Intl knows every IANA zone.
 */

export const DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh";

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function intlWallClock(instant: number, timezone: string): WallClock {
  let formatter = partsFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormatters.set(timezone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (Vietnam: +7 h). */
export function timezoneOffset(instant: number, timezone: string): number {
  const bucket = Math.floor(instant / OFFSET_BUCKET_MS);
  const key = `${timezone} ${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const w = intlWallClock(instant, timezone);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    offset = asUtc - Math.floor(instant / 1000) * 1000;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * Offsets change only on quarter hours, so one Intl lookup serves every instant of a quarter
 * hour: an export of 100,000 rows formats its times without 100,000 trips through Intl.
 */
const OFFSET_BUCKET_MS = 15 * 60_000;
const offsets = new Map<string, number>();

function wallClock(instant: number, timezone: string): WallClock {
  const local = new Date(instant + timezoneOffset(instant, timezone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** The instant at which the zone's wall clock shows the given time. */
export function zonedTimeToInstant({ year, month, day, hour, minute }: Omit<WallClock, "second">, timezone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let instant = guess - timezoneOffset(guess, timezone);
  // A second pass settles the offset when the first guess fell on the other side of a DST change.
  instant = guess - timezoneOffset(instant, timezone);
  return instant;
}

const LOCAL_DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})$/;

/**
 * Parses `dd/mm/yyyy HH:mm` in a timezone. Returns null for text that is not such a date or not a
 * real calendar date (31/02/2024, 24:00).
 */
export function parseLocalDateTime(text: string, timezone: string): number | null {
  const match = LOCAL_DATE_TIME.exec(text.trim());
  if (!match) return null;
  const [day, month, year, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return zonedTimeToInstant({ year, month, day, hour, minute }, timezone);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `30/09/2024` */
export function formatDate(instant: number, timezone: string): string {
  const w = wallClock(instant, timezone);
  return `${pad(w.day)}/${pad(w.month)}/${w.year}`;
}

/** `10:00` */
export function formatTime(instant: number, timezone: string): string {
  const w = wallClock(instant, timezone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** `10:00 30/09/2024`, the way Vietnamese notices write a moment. */
export function formatDateTime(instant: number, timezone: string): string {
  return `${formatTime(instant, timezone)} ${formatDate(instant, timezone)}`;
}

/** `30/09/2024 10:00`, the authoring format that parseLocalDateTime reads back. */
export function formatLocalDateTime(instant: number, timezone: string): string {
  return `${formatDate(instant, timezone)} ${formatTime(instant, timezone)}`;
}

/** An ISO 8601 string with the zone's offset, for `<time dateTime>`. */
export function isoInTimezone(instant: number, timezone: string): string {
  const w = wallClock(instant, timezone);
  const offsetMinutes = Math.round(timezoneOffset(instant, timezone) / 60000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
