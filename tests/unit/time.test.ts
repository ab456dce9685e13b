import { describe, expect, it } from "vitest";
import {
  DEFAULT_TIMEZONE,
  formatDate,
  formatDateTime,
  formatLocalDateTime,
  formatTime,
  isValidTimezone,
  isoInTimezone,
  parseLocalDateTime,
  timezoneOffset,
  zonedTimeToInstant,
} from "~/domain/time";

const VN = "Asia/Ho_Chi_Minh";
const PARIS = "Europe/Paris";
const HOUR = 3_600_000;

describe("parseLocalDateTime", () => {
  it("reads dd/mm/yyyy HH:mm in Vietnam time (UTC+7)", () => {
    expect(DEFAULT_TIMEZONE).toBe(VN);
    expect(parseLocalDateTime("30/09/2024 10:00", VN)).toBe(Date.UTC(2024, 8, 30, 3, 0));
    expect(parseLocalDateTime("07/10/2024 09:30", VN)).toBe(Date.UTC(2024, 9, 7, 2, 30));
    // midnight local is the previous day in UTC
    expect(parseLocalDateTime("01/01/2025 00:00", VN)).toBe(Date.UTC(2024, 11, 31, 17, 0));
    expect(parseLocalDateTime("31/12/2024 23:59", VN)).toBe(Date.UTC(2024, 11, 31, 16, 59));
  });

  it("accepts one-digit day, month and hour, and surrounding or doubled spaces", () => {
    expect(parseLocalDateTime("1/2/2024 9:05", VN)).toBe(Date.UTC(2024, 1, 1, 2, 5));
    expect(parseLocalDateTime("  01/02/2024   09:05 ", VN)).toBe(Date.UTC(2024, 1, 1, 2, 5));
  });

  it("reads the same wall time differently in another zone", () => {
    expect(parseLocalDateTime("15/01/2024 12:00", "UTC")).toBe(Date.UTC(2024, 0, 15, 12, 0));
    expect(parseLocalDateTime("15/01/2024 12:00", PARIS)).toBe(Date.UTC(2024, 0, 15, 11, 0));
    expect(parseLocalDateTime("15/07/2024 12:00", PARIS)).toBe(Date.UTC(2024, 6, 15, 10, 0));
    expect(parseLocalDateTime("15/07/2024 12:00", "America/New_York")).toBe(Date.UTC(2024, 6, 15, 16, 0));
  });

  it.each([
    "",
    "30/09/2024",
    "10:00",
    "2024-09-30 10:00",
    "30-09-2024 10:00",
    "30/09/24 10:00",
    "30/09/2024 10h00",
    "30/09/2024 10:0",
    "30/09/2024 10:00:00",
    "30/09/2024T10:00",
    "ngày 30/09/2024 10:00",
    "00/09/2024 10:00",
    "30/00/2024 10:00",
    "30/13/2024 10:00",
    "31/04/2024 10:00",
    "31/02/2024 10:00",
    "30/02/2024 10:00",
    "30/09/2024 24:00",
    "30/09/2024 23:60",
    "30/09/2024 99:00",
  ])("rejects %j", (text) => {
    expect(parseLocalDateTime(text, VN)).toBeNull();
  });

  it("knows leap years: 29/02 exists in 2024 and 2000, not in 2023 or 1900", () => {
    expect(parseLocalDateTime("29/02/2024 08:00", VN)).toBe(Date.UTC(2024, 1, 29, 1, 0));
    expect(parseLocalDateTime("29/02/2000 08:00", VN)).toBe(Date.UTC(2000, 1, 29, 1, 0));
    expect(parseLocalDateTime("29/02/2023 08:00", VN)).toBeNull();
    expect(parseLocalDateTime("29/02/1900 08:00", VN)).toBeNull();
    expect(parseLocalDateTime("28/02/2023 08:00", VN)).toBe(Date.UTC(2023, 1, 28, 1, 0));
  });

  it("accepts 00:00 and 23:59, the ends of the 24-hour clock", () => {
    expect(parseLocalDateTime("30/09/2024 00:00", VN)).toBe(Date.UTC(2024, 8, 29, 17, 0));
    expect(parseLocalDateTime("30/09/2024 23:59", VN)).toBe(Date.UTC(2024, 8, 30, 16, 59));
  });
});

describe("formatting in Asia/Ho_Chi_Minh", () => {
  const instant = Date.UTC(2024, 8, 30, 3, 0); // 10:00 30/09/2024 in Vietnam

  it("formats date, time and both", () => {
    expect(formatDate(instant, VN)).toBe("30/09/2024");
    expect(formatTime(instant, VN)).toBe("10:00");
    expect(formatDateTime(instant, VN)).toBe("10:00 30/09/2024");
    expect(formatLocalDateTime(instant, VN)).toBe("30/09/2024 10:00");
    expect(isoInTimezone(instant, VN)).toBe("2024-09-30T10:00:00+07:00");
  });

  it("uses the 24-hour clock and zero padding, and crosses midnight with the zone", () => {
    const evening = Date.UTC(2024, 0, 5, 14, 7, 9); // 21:07:09 05/01/2024 local
    expect(formatDateTime(evening, VN)).toBe("21:07 05/01/2024");
    expect(isoInTimezone(evening, VN)).toBe("2024-01-05T21:07:09+07:00");
    const lateUtc = Date.UTC(2024, 11, 31, 17, 0); // 00:00 01/01/2025 local
    expect(formatDateTime(lateUtc, VN)).toBe("00:00 01/01/2025");
    expect(formatDate(lateUtc, "UTC")).toBe("31/12/2024");
  });

  it("round-trips: parse(formatLocalDateTime(x)) = x and format(parse(s)) = s", () => {
    for (let minute = 0; minute < 60 * 24 * 3; minute += 37) {
      const x = Date.UTC(2024, 1, 27, 0, minute);
      const text = formatLocalDateTime(x, VN);
      expect(parseLocalDateTime(text, VN)).toBe(x);
      expect(new Date(isoInTimezone(x, VN)).getTime()).toBe(x);
    }
    for (const text of ["29/02/2024 00:00", "01/03/2024 07:00", "31/12/2024 23:59", "01/01/2025 06:59"]) {
      expect(formatLocalDateTime(parseLocalDateTime(text, VN)!, VN)).toBe(text);
    }
  });

  it("gives negative offsets with their sign", () => {
    const instant = Date.UTC(2024, 0, 15, 17, 30);
    expect(isoInTimezone(instant, "America/New_York")).toBe("2024-01-15T12:30:00-05:00");
    expect(isoInTimezone(instant, "Asia/Kolkata")).toBe("2024-01-15T23:00:00+05:30");
    expect(new Date(isoInTimezone(instant, "America/New_York")).getTime()).toBe(instant);
  });
});

describe("timezones", () => {
  it("knows which names are timezones", () => {
    expect(isValidTimezone(VN)).toBe(true);
    expect(isValidTimezone(PARIS)).toBe(true);
    expect(isValidTimezone("UTC")).toBe(true);
    expect(isValidTimezone("Asia/Da_Lat")).toBe(false);
    expect(isValidTimezone("GMT+7 Hà Nội")).toBe(false);
  });

  it("gives a zone's offset at an instant", () => {
    expect(timezoneOffset(Date.UTC(2024, 5, 1), VN)).toBe(7 * HOUR);
    expect(timezoneOffset(Date.UTC(2024, 0, 1), PARIS)).toBe(1 * HOUR);
    expect(timezoneOffset(Date.UTC(2024, 6, 1), PARIS)).toBe(2 * HOUR);
    // sub-second instants still give a whole offset
    expect(timezoneOffset(Date.UTC(2024, 5, 1) + 999, VN)).toBe(7 * HOUR);
  });
});

describe("zonedTimeToInstant across daylight saving changes (Europe/Paris)", () => {
  const wall = (day: number, month: number, hour: number, minute = 0) =>
    zonedTimeToInstant({ year: 2024, month, day, hour, minute }, PARIS);

  it("spring forward on 31/03/2024: 02:00 CET becomes 03:00 CEST at 01:00 UTC", () => {
    expect(wall(31, 3, 0, 30)).toBe(Date.UTC(2024, 2, 30, 23, 30)); // CET, UTC+1
    expect(wall(31, 3, 1, 59)).toBe(Date.UTC(2024, 2, 31, 0, 59));
    expect(wall(31, 3, 3, 0)).toBe(Date.UTC(2024, 2, 31, 1, 0)); // CEST, UTC+2
    expect(wall(31, 3, 3, 30)).toBe(Date.UTC(2024, 2, 31, 1, 30));
    expect(wall(31, 3, 12, 0)).toBe(Date.UTC(2024, 2, 31, 10, 0));
    // 02:30 never happened that day: it resolves to one of the two readings of it
    // (02:30 at UTC+1 or at UTC+2), not somewhere else in the day.
    const gap = wall(31, 3, 2, 30);
    expect([Date.UTC(2024, 2, 31, 0, 30), Date.UTC(2024, 2, 31, 1, 30)]).toContain(gap);
  });

  it("fall back on 27/10/2024: 03:00 CEST becomes 02:00 CET at 01:00 UTC", () => {
    expect(wall(27, 10, 0, 30)).toBe(Date.UTC(2024, 9, 26, 22, 30)); // CEST, UTC+2
    expect(wall(27, 10, 1, 59)).toBe(Date.UTC(2024, 9, 26, 23, 59));
    expect(wall(27, 10, 3, 0)).toBe(Date.UTC(2024, 9, 27, 2, 0)); // CET, UTC+1
    expect(wall(27, 10, 12, 0)).toBe(Date.UTC(2024, 9, 27, 11, 0));
    // 02:30 happened twice: either occurrence is right, and it reads back as 02:30.
    const twice = wall(27, 10, 2, 30);
    expect([Date.UTC(2024, 9, 27, 0, 30), Date.UTC(2024, 9, 27, 1, 30)]).toContain(twice);
    expect(formatTime(twice, PARIS)).toBe("02:30");
  });

  it("every existing wall time of both change days reads back as itself", () => {
    for (const [day, month] of [
      [30, 3],
      [31, 3],
      [1, 4],
      [26, 10],
      [27, 10],
      [28, 10],
    ] as const) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 10) {
        const hour = Math.floor(minutes / 60);
        const minute = minutes % 60;
        if (day === 31 && month === 3 && hour === 2) continue; // the missing hour
        const instant = wall(day, month, hour, minute);
        const expected = `${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/2024 ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
        expect(formatLocalDateTime(instant, PARIS)).toBe(expected);
      }
    }
  });

  it("instants along the change days are increasing and an hour apart where the clock says so", () => {
    // 01:00 → 03:00 on 31/03 is only one real hour; 01:00 → 03:00 on 27/10 is three.
    expect(wall(31, 3, 3) - wall(31, 3, 1)).toBe(1 * HOUR);
    expect(wall(27, 10, 3) - wall(27, 10, 1)).toBe(3 * HOUR);
    expect(wall(1, 4, 0) - wall(31, 3, 0)).toBe(23 * HOUR);
    expect(wall(28, 10, 0) - wall(27, 10, 0)).toBe(25 * HOUR);
  });

  it("also in a zone west of UTC (America/New_York, 10/03/2024 and 03/11/2024)", () => {
    const ny = "America/New_York";
    for (const [day, month, missingHour] of [
      [10, 3, 2],
      [3, 11, -1],
    ] as const) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 10) {
        const hour = Math.floor(minutes / 60);
        const minute = minutes % 60;
        if (hour === missingHour) continue;
        const instant = zonedTimeToInstant({ year: 2024, month, day, hour, minute }, ny);
        expect(formatTime(instant, ny)).toBe(`${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`);
        expect(formatDate(instant, ny)).toBe(`${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/2024`);
      }
    }
  });
});

describe("formatDate over many instants", () => {
  it("gives each of 10,000 consecutive minutes the right wall-clock date", () => {
    const start = Date.UTC(2024, 8, 29, 17, 0); // 00:00 30/09/2024 in Vietnam
    for (let i = 0; i < 10_000; i++) {
      const instant = start + i * 60_000;
      const expected = new Date(instant + 7 * 3_600_000);
      const dd = String(expected.getUTCDate()).padStart(2, "0");
      const mm = String(expected.getUTCMonth() + 1).padStart(2, "0");
      expect(formatDate(instant, "Asia/Ho_Chi_Minh")).toBe(`${dd}/${mm}/${expected.getUTCFullYear()}`);
    }
  });
});
