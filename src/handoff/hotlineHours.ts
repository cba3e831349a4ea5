/**
 * When hotline staff are on duty: the config variable HOTLINE_HOURS, e.g.
 * `Mon-Fri 08:00-20:00 Asia/Jakarta`. Pure: the time is always passed in, and all calendar
 * arithmetic is done in the hotline's own time zone through Intl, so daylight saving is handled
 * by the platform's time zone data rather than by us.
 *
 * Grammar: `<days> <HH:MM-HH:MM> <IANA zone>`, where `<days>` is `Daily`, `Every day`, a day
 * (`Sat`), a range (`Mon-Fri`, wrapping around the week as in `Fri-Mon`) or a comma list of
 * those (`Mon-Fri,Sun`). Day names are English, three letters or in full, in any case.
 *
 * Overnight shifts (`20:00-08:00`) are supported: a shift belongs to the day it starts, so
 * `Fri 20:00-08:00` runs from Friday 20:00 to Saturday 08:00. `24:00` may end a shift
 * (`00:00-24:00` is the whole day). Duty follows the local wall clock: a start time that
 * clocks going forward skip starts the shift when the gap ends, and when clocks go back the
 * repeated hour counts twice (a shift at 02:30 starts at the first 02:30 and again at the second).
 */
import { z } from 'zod';

/** A parsed HOTLINE_HOURS. */
export interface HotlineHours {
  /** Days on which a shift starts, 0 = Sunday … 6 = Saturday. */
  days: ReadonlySet<number>;
  /** Start of the shift, in minutes after local midnight. */
  start: number;
  /** End of the shift, in minutes after local midnight (1440 for 24:00); below `start` for an overnight shift. */
  end: number;
  /** The IANA time zone, as Intl spells it (`asia/jakarta` becomes `Asia/Jakarta`). */
  timeZone: string;
  /** The spec as given, trimmed, for messages. */
  text: string;
}

const EXAMPLE = 'e.g. "Mon-Fri 08:00-20:00 Asia/Jakarta"';
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const EVERY_DAY = new Set(['daily', 'every day', 'everyday']);
const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = MINUTES_PER_DAY * MS_PER_MINUTE;

/**
 * Parses a spec; throws an Error with a one-line, human message naming what is wrong. The
 * message quotes the bad part: hotline hours are not a secret, and the quote is what makes the
 * message useful to whoever set the variable.
 */
export function parseHotlineHours(spec: string): HotlineHours {
  const text = spec.trim();
  if (text === '') throw new Error(`empty: give the days, the hours and a time zone, ${EXAMPLE}`);
  // "Mon - Fri , Sun" and "08:00 - 20:00" mean the same as without the spaces; a dangling
  // "Mon-" or "Mon," is left alone, to be reported as such.
  const tokens = text
    .replace(/(?<=\p{L})\s*-\s*(?=\p{L})|(?<=\d)\s*-\s*(?=\d)/gu, '-')
    .replace(/\s*,\s*(?=\p{L})/gu, ',')
    .split(/\s+/);
  // The hours are the first part that starts with a digit: day names and zones never do.
  const timeAt = tokens.findIndex((t) => /^\d/.test(t));
  if (timeAt === -1) throw new Error(`no hours: expected a time range such as 08:00-20:00, ${EXAMPLE}`);
  const dayText = tokens.slice(0, timeAt).join(' ');
  if (dayText === '') throw new Error(`no days before the hours: start with days such as Mon-Fri or Daily, ${EXAMPLE}`);
  const zoneTokens = tokens.slice(timeAt + 1);
  if (zoneTokens.length === 0) throw new Error(`no time zone: end with an IANA time zone such as Asia/Jakarta, ${EXAMPLE}`);
  if (zoneTokens.length > 1) throw new Error(`unexpected "${zoneTokens.join(' ')}" after the hours: expected one IANA time zone such as Asia/Jakarta`);
  const { start, end } = parseTimeRange(tokens[timeAt] ?? '');
  return { days: parseDays(dayText), start, end, timeZone: checkTimeZone(zoneTokens[0] ?? ''), text };
}

/** True when staff are on duty at `now` (ms since epoch). */
export function isOnDuty(h: HotlineHours, now: number): boolean {
  const local = localTime(h.timeZone, now);
  const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
  const minutes = local.hour * 60 + local.minute;
  if (h.start < h.end) return h.days.has(weekday) && minutes >= h.start && minutes < h.end;
  // Overnight: the evening of a shift day, or the morning after one.
  return (h.days.has(weekday) && minutes >= h.start) || (h.days.has((weekday + 6) % 7) && minutes < h.end);
}

/** When staff are next on duty after `now` (ms since epoch); `now` itself when on duty. */
export function nextOnDuty(h: HotlineHours, now: number): number {
  if (isOnDuty(h, now)) return now;
  // Off duty, duty begins either at a shift's start time or where a change of clocks jumps
  // into a shift (clocks going back can return to the middle of one). First the start times:
  // a week and a day covers every weekday after today's shift, another week the rare shift
  // that a change of clocks skipped entirely.
  const local = localTime(h.timeZone, now);
  let first = Infinity;
  for (let k = 0; k <= 14 && first === Infinity; k++) {
    const date = Date.UTC(local.year, local.month - 1, local.day + k);
    if (!h.days.has(new Date(date).getUTCDay())) continue;
    for (const t of instantsOfWallTime(h.timeZone, date + h.start * MS_PER_MINUTE)) {
      if (t > now && t < first && isOnDuty(h, t)) first = t;
    }
  }
  // Then any change of clocks before that start, a day at a time (zones change at most once a day).
  const horizon = Math.min(first, now + 15 * MS_PER_DAY);
  for (let from = now; from < horizon; from += MS_PER_DAY) {
    const to = Math.min(from + MS_PER_DAY, horizon);
    if (offsetAt(h.timeZone, from) === offsetAt(h.timeZone, to)) continue;
    const change = changeBetween(h.timeZone, from, to);
    if (change > now && change < first && isOnDuty(h, change)) first = change;
  }
  // Unreachable for a real zone: the days are never empty.
  if (first === Infinity) throw new Error(`no shift found in the two weeks after ${new Date(now).toISOString()} for "${h.text}"`);
  return first;
}

/** HOTLINE_HOURS for the config schema: a string that parses, or an issue with the parser's message. */
export const HotlineHoursSchema = z.string().transform((s, ctx) => {
  try {
    return parseHotlineHours(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

/** Parses the days part into weekday numbers. */
function parseDays(dayText: string): Set<number> {
  if (EVERY_DAY.has(dayText.toLowerCase())) return new Set([0, 1, 2, 3, 4, 5, 6]);
  const days = new Set<number>();
  for (const item of dayText.split(',')) {
    if (item === '') throw new Error(`empty item in the days "${dayText}": separate days with single commas, e.g. Mon-Fri,Sun`);
    const ends = item.split('-');
    if (ends.length > 2 || ends.includes('')) throw new Error(`bad day range "${item}": expected two days such as Mon-Fri`);
    const from = dayNumber(ends[0] ?? '');
    const to = ends.length === 2 ? dayNumber(ends[1] ?? '') : from;
    // A range runs forward through the week and may wrap: Fri-Mon is Fri, Sat, Sun, Mon.
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return days;
}

/** The weekday number of an English day name, three letters or in full. */
function dayNumber(name: string): number {
  const lower = name.toLowerCase();
  const short = DAY_NAMES.indexOf(lower);
  const n = short !== -1 ? short : FULL_DAY_NAMES.indexOf(lower);
  if (n === -1) {
    const hint = name.includes(' ') ? ' (days are "Daily", "Every day", or days such as Mon-Fri,Sun without spaces between names)' : '';
    throw new Error(`unknown day "${name}": use Mon, Tue, Wed, Thu, Fri, Sat or Sun${hint}`);
  }
  return n;
}

/** Parses `HH:MM-HH:MM` into minutes after midnight. */
function parseTimeRange(range: string): { start: number; end: number } {
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(range);
  if (!m) throw new Error(`bad hours "${range}": expected a 24-hour range HH:MM-HH:MM such as 08:00-20:00`);
  const start = minutesOf(Number(m[1]), Number(m[2]), false);
  const end = minutesOf(Number(m[3]), Number(m[4]), true);
  if (start === end) throw new Error(`hours "${range}" start and end at the same time: for a 24-hour hotline use 00:00-24:00`);
  return { start, end };
}

/** Minutes after midnight of a clock time; 24:00 only as the end of a shift. */
function minutesOf(hour: number, minute: number, isEnd: boolean): number {
  const shown = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  if (isEnd && hour === 24 && minute === 0) return MINUTES_PER_DAY;
  if (hour > 23) throw new Error(`bad time "${shown}": hours go from 00 to 23 (24:00 only as an end)`);
  if (minute > 59) throw new Error(`bad time "${shown}": minutes go from 00 to 59`);
  return hour * 60 + minute;
}

/** Checks a time zone against the platform's data and returns its canonical spelling. */
function checkTimeZone(zone: string): string {
  try {
    return formatter(zone).resolvedOptions().timeZone;
  } catch (e) {
    if (e instanceof RangeError) throw new Error(`unknown time zone "${zone}": use an IANA name such as Asia/Jakarta`);
    throw e;
  }
}

// Building a DateTimeFormat costs far more than using one, and there are only a few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter that gives the numeric local date and time in a zone. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock date and time in a zone at an instant. */
function localTime(timeZone: string, at: number): LocalTime {
  const t: LocalTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type in t) t[p.type as keyof LocalTime] = Number(p.value);
  }
  return t;
}

/** The zone's offset from UTC at an instant, in ms (east positive), to the second. */
function offsetAt(timeZone: string, at: number): number {
  const l = localTime(timeZone, at);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instants whose wall-clock time in the zone is `wall` (a local date and time written as if
 * it were UTC), in order: two when clocks go back over it, one usually, and when clocks go
 * forward over it, the instant the gap ends (the first one whose wall time is later).
 */
function instantsOfWallTime(timeZone: string, wall: number): number[] {
  // Zones change offset at most once in any two days, so the offsets a day either side are
  // the only two candidates.
  const before = offsetAt(timeZone, wall - MS_PER_DAY);
  const after = offsetAt(timeZone, wall + MS_PER_DAY);
  if (before === after) return [wall - before];
  const instants = [wall - before, wall - after].filter((t, i) => offsetAt(timeZone, t) === (i === 0 ? before : after));
  if (instants.length > 0) return instants.sort((a, b) => a - b);
  // In a gap: offset `before` still holds at `wall - after`, `after` already at `wall - before`.
  return [changeBetween(timeZone, wall - after, wall - before)];
}

/** The first whole second after `lo`, up to `hi`, at which the zone's offset differs from the one at `lo` (found by bisection). */
function changeBetween(timeZone: string, lo: number, hi: number): number {
  const offset = offsetAt(timeZone, lo);
  // Changes fall on whole seconds, so rounding outwards keeps each end's offset.
  let a = Math.floor(lo / 1000) * 1000;
  let b = Math.ceil(hi / 1000) * 1000;
  while (b - a > 1000) {
    const mid = a + Math.floor((b - a) / 2000) * 1000;
    if (offsetAt(timeZone, mid) === offset) a = mid;
    else b = mid;
  }
  return b;
}
