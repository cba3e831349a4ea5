import { describe, expect, it } from 'vitest';
import { HotlineHoursSchema, isOnDuty, nextOnDuty, parseHotlineHours, type HotlineHours } from '../../src/handoff/hotlineHours.js';

const at = (iso: string): number => Date.parse(iso);
const MINUTE = 60_000;

/**
 * The reference answer: now, or else the first quarter hour on duty. Exact for the zones and
 * specs used with it, whose offsets, changes and shift starts all fall on quarter hours of UTC.
 */
function steppedNextOnDuty(h: HotlineHours, now: number): number {
  if (isOnDuty(h, now)) return now;
  const step = 15 * MINUTE;
  for (let t = Math.ceil(now / step) * step; t < now + 15 * 24 * 60 * MINUTE; t += step) if (isOnDuty(h, t)) return t;
  throw new Error('never on duty');
}

describe('parseHotlineHours', () => {
  it('reads days, hours and zone', () => {
    const h = parseHotlineHours('  Mon-Fri 08:00-20:00 Asia/Jakarta \n');
    expect([...h.days].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(h).toMatchObject({ start: 8 * 60, end: 20 * 60, timeZone: 'Asia/Jakarta', text: 'Mon-Fri 08:00-20:00 Asia/Jakarta' });
  });

  it.each([
    ['Mon-Fri', [1, 2, 3, 4, 5]],
    ['Mon,Wed,Fri', [1, 3, 5]],
    ['Mon-Fri,Sun', [0, 1, 2, 3, 4, 5]],
    ['Sat', [6]],
    ['Fri-Mon', [0, 1, 5, 6]],
    ['Sat-Sun', [0, 6]],
    ['Mon-Sun', [0, 1, 2, 3, 4, 5, 6]],
    ['Sun-Sat', [0, 1, 2, 3, 4, 5, 6]],
    ['Daily', [0, 1, 2, 3, 4, 5, 6]],
    ['Every day', [0, 1, 2, 3, 4, 5, 6]],
    ['mon-FRI', [1, 2, 3, 4, 5]],
    ['Monday-Friday', [1, 2, 3, 4, 5]],
    ['Mon - Wed , Sat', [1, 2, 3, 6]],
  ])('reads the days %s', (days, expected) => {
    expect([...parseHotlineHours(`${days} 08:00-20:00 Asia/Jakarta`).days].sort()).toEqual(expected);
  });

  it('reads 24:00 as an end, overnight ranges, and single-digit hours', () => {
    expect(parseHotlineHours('Daily 00:00-24:00 UTC')).toMatchObject({ start: 0, end: 1440, timeZone: 'UTC' });
    expect(parseHotlineHours('Fri 20:00-08:00 Asia/Jakarta')).toMatchObject({ start: 1200, end: 480 });
    expect(parseHotlineHours('Mon 8:30-17:05 Asia/Jakarta')).toMatchObject({ start: 510, end: 1025 });
    expect(parseHotlineHours('Mon 08:00 - 20:00 Asia/Jakarta')).toMatchObject({ start: 480, end: 1200 });
  });

  it('spells the zone as Intl does', () => {
    expect(parseHotlineHours('Mon-Fri 08:00-20:00 asia/jakarta').timeZone).toBe('Asia/Jakarta');
  });

  it.each([
    ['', /^empty: .*days.*hours.*time zone/],
    ['   ', /^empty/],
    ['Mon-Fir 08:00-20:00 Asia/Jakarta', /^unknown day "Fir"/],
    ['Mon,,Fri 08:00-20:00 Asia/Jakarta', /^empty item in the days "Mon,,Fri"/],
    ['Mon- 08:00-20:00 Asia/Jakarta', /^bad day range "Mon-"/],
    ['Mon, 08:00-20:00 Asia/Jakarta', /^empty item in the days "Mon,"/],
    ['Mon-Wed-Fri 08:00-20:00 Asia/Jakarta', /^bad day range "Mon-Wed-Fri"/],
    ['Mon Wed 08:00-20:00 Asia/Jakarta', /^unknown day "Mon Wed"/],
    ['08:00-20:00 Asia/Jakarta', /^no days/],
    ['Mon-Fri Asia/Jakarta', /^no hours/],
    ['Mon-Fri 8-20 Asia/Jakarta', /^bad hours "8-20": .*HH:MM-HH:MM/],
    ['Mon-Fri 08:00 Asia/Jakarta', /^bad hours "08:00"/],
    ['Mon-Fri 08.00-20.00 Asia/Jakarta', /^bad hours "08.00-20.00"/],
    ['Mon-Fri 08:00-25:00 Asia/Jakarta', /^bad time "25:00": hours go from 00 to 23/],
    ['Mon-Fri 24:00-08:00 Asia/Jakarta', /^bad time "24:00"/],
    ['Mon-Fri 08:60-20:00 Asia/Jakarta', /^bad time "08:60": minutes/],
    ['Mon-Fri 08:00-08:00 Asia/Jakarta', /^hours "08:00-08:00" start and end at the same time/],
    ['Mon-Fri 08:00-20:00', /^no time zone/],
    ['Mon-Fri 08:00-20:00 Asia/Jakart', /^unknown time zone "Asia\/Jakart"/],
    ['Mon-Fri 08:00-20:00 WIB', /^unknown time zone "WIB"/],
    ['Mon-Fri 08:00-20:00 Asia/Jakarta extra', /^unexpected "Asia\/Jakarta extra" after the hours/],
  ])('rejects %j with a message naming the problem', (spec, message) => {
    expect(() => parseHotlineHours(spec)).toThrow(message);
  });

  it('gives one-line messages', () => {
    for (const spec of ['', 'Mon-Fir 08:00-20:00 UTC', 'Mon 25:00-26:00 UTC', 'Mon 08:00-20:00 Nowhere/Town']) {
      expect(() => parseHotlineHours(spec)).toThrow(/^[^\n]+$/);
    }
  });
});

describe('HotlineHoursSchema', () => {
  it('parses a good spec and reports a bad one as an issue with the parser message', () => {
    expect(HotlineHoursSchema.parse('Sat 09:00-12:00 UTC')).toMatchObject({ start: 540, end: 720, timeZone: 'UTC' });
    const bad = HotlineHoursSchema.safeParse('Mon-Fri 08:00-25:00 UTC');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues).toEqual([expect.objectContaining({ code: 'custom', message: expect.stringMatching(/^bad time "25:00"/) as unknown })]);
  });
});

describe('isOnDuty and nextOnDuty in Jakarta (UTC+7, no daylight saving)', () => {
  // 2025-01-06 is a Monday; Jakarta 08:00 is 01:00 UTC.
  const h = parseHotlineHours('Mon-Fri 08:00-20:00 Asia/Jakarta');

  it('is on duty from 08:00 up to, not including, 20:00', () => {
    expect(isOnDuty(h, at('2025-01-06T00:59:59.999Z'))).toBe(false); // 07:59
    expect(isOnDuty(h, at('2025-01-06T01:00:00Z'))).toBe(true); // 08:00
    expect(isOnDuty(h, at('2025-01-06T12:59:59Z'))).toBe(true); // 19:59:59
    expect(isOnDuty(h, at('2025-01-06T13:00:00Z'))).toBe(false); // 20:00
  });

  it('uses the local day, not the UTC one', () => {
    // Monday 06:00 in Jakarta is still Sunday 23:00 UTC.
    expect(isOnDuty(h, at('2025-01-05T23:00:00Z'))).toBe(false);
    // Friday 19:30 in Jakarta; Saturday 01:00 in Jakarta is still Friday 18:00 UTC.
    expect(isOnDuty(h, at('2025-01-10T12:30:00Z'))).toBe(true);
    expect(isOnDuty(h, at('2025-01-10T18:00:00Z'))).toBe(false);
  });

  it('is off duty at the weekend', () => {
    expect(isOnDuty(h, at('2025-01-11T05:00:00Z'))).toBe(false); // Saturday 12:00
    expect(isOnDuty(h, at('2025-01-12T05:00:00Z'))).toBe(false); // Sunday 12:00
  });

  it('from Friday evening, the next duty is Monday 08:00', () => {
    expect(nextOnDuty(h, at('2025-01-10T14:00:00Z'))).toBe(Date.UTC(2025, 0, 13, 1, 0, 0)); // Friday 21:00 → Monday 08:00
    expect(nextOnDuty(h, at('2025-01-12T16:59:00Z'))).toBe(Date.UTC(2025, 0, 13, 1, 0, 0)); // Sunday 23:59
  });

  it('from early morning, the next duty is the same day', () => {
    expect(nextOnDuty(h, at('2025-01-07T23:30:00Z'))).toBe(at('2025-01-08T01:00:00Z')); // Wednesday 06:30
  });

  it('when on duty, returns now', () => {
    const now = at('2025-01-08T05:17:23.456Z');
    expect(nextOnDuty(h, now)).toBe(now);
    expect(nextOnDuty(h, at('2025-01-06T01:00:00Z'))).toBe(at('2025-01-06T01:00:00Z'));
  });

  it('with one day a week, waits a whole week after the shift', () => {
    const mon = parseHotlineHours('Mon 08:00-20:00 Asia/Jakarta');
    expect(nextOnDuty(mon, at('2025-01-06T13:00:00Z'))).toBe(at('2025-01-13T01:00:00Z'));
  });

  it('handles day ranges that wrap around the week', () => {
    const w = parseHotlineHours('Fri-Mon 08:00-20:00 Asia/Jakarta');
    expect(isOnDuty(w, at('2025-01-10T05:00:00Z'))).toBe(true); // Friday
    expect(isOnDuty(w, at('2025-01-11T05:00:00Z'))).toBe(true); // Saturday
    expect(isOnDuty(w, at('2025-01-12T05:00:00Z'))).toBe(true); // Sunday
    expect(isOnDuty(w, at('2025-01-13T05:00:00Z'))).toBe(true); // Monday
    expect(isOnDuty(w, at('2025-01-14T05:00:00Z'))).toBe(false); // Tuesday
    expect(nextOnDuty(w, at('2025-01-13T14:00:00Z'))).toBe(at('2025-01-17T01:00:00Z')); // Monday 21:00 → Friday 08:00
  });

  it('runs an overnight shift from the day it starts into the next morning', () => {
    const n = parseHotlineHours('Fri 20:00-08:00 Asia/Jakarta');
    expect(isOnDuty(n, at('2025-01-10T12:59:00Z'))).toBe(false); // Friday 19:59
    expect(isOnDuty(n, at('2025-01-10T13:00:00Z'))).toBe(true); // Friday 20:00
    expect(isOnDuty(n, at('2025-01-10T17:00:00Z'))).toBe(true); // Saturday 00:00
    expect(isOnDuty(n, at('2025-01-11T00:59:00Z'))).toBe(true); // Saturday 07:59
    expect(isOnDuty(n, at('2025-01-11T01:00:00Z'))).toBe(false); // Saturday 08:00
    expect(isOnDuty(n, at('2025-01-11T14:00:00Z'))).toBe(false); // Saturday 21:00: no shift starts on Saturday
    expect(isOnDuty(n, at('2025-01-09T23:00:00Z'))).toBe(false); // Friday 06:00: Thursday had no shift
    expect(nextOnDuty(n, at('2025-01-11T02:00:00Z'))).toBe(at('2025-01-17T13:00:00Z')); // Saturday 09:00 → next Friday 20:00
  });

  it('runs an overnight shift across the end of the week', () => {
    const n = parseHotlineHours('Sat 22:00-06:00 Asia/Jakarta');
    expect(isOnDuty(n, at('2025-01-11T22:00:00Z'))).toBe(true); // Sunday 05:00
    expect(isOnDuty(n, at('2025-01-11T23:00:00Z'))).toBe(false); // Sunday 06:00
  });

  it('is always on duty for Daily 00:00-24:00', () => {
    const always = parseHotlineHours('Daily 00:00-24:00 Asia/Jakarta');
    for (let t = at('2025-01-05T16:00:00Z'); t < at('2025-01-07T00:00:00Z'); t += 7 * MINUTE) expect(isOnDuty(always, t)).toBe(true);
  });
});

describe('isOnDuty and nextOnDuty across daylight saving (Europe/Amsterdam)', () => {
  // 2025-03-30: 02:00 CET (01:00 UTC) becomes 03:00 CEST. 2025-10-26: 03:00 CEST (01:00 UTC) becomes 02:00 CET.
  const h = parseHotlineHours('Mon-Fri 09:00-17:00 Europe/Amsterdam');

  it('follows local 09:00 before and after the change', () => {
    expect(isOnDuty(h, at('2025-03-28T07:59:00Z'))).toBe(false); // Friday 08:59 CET
    expect(isOnDuty(h, at('2025-03-28T08:00:00Z'))).toBe(true); // Friday 09:00 CET
    expect(isOnDuty(h, at('2025-03-31T06:59:00Z'))).toBe(false); // Monday 08:59 CEST
    expect(isOnDuty(h, at('2025-03-31T07:00:00Z'))).toBe(true); // Monday 09:00 CEST
    expect(isOnDuty(h, at('2025-03-31T15:00:00Z'))).toBe(false); // Monday 17:00 CEST
  });

  it('finds Monday 09:00 summer time from Friday evening winter time', () => {
    expect(nextOnDuty(h, at('2025-03-28T17:00:00Z'))).toBe(Date.UTC(2025, 2, 31, 7, 0, 0));
    expect(nextOnDuty(h, at('2025-10-24T16:00:00Z'))).toBe(Date.UTC(2025, 9, 27, 8, 0, 0)); // and back to winter time
  });

  it('starts a shift whose start time is skipped when the gap ends', () => {
    const g = parseHotlineHours('Sun 02:30-04:00 Europe/Amsterdam');
    expect(nextOnDuty(g, at('2025-03-29T22:00:00Z'))).toBe(at('2025-03-30T01:00:00Z')); // 03:00 CEST
    expect(isOnDuty(g, at('2025-03-30T00:59:59Z'))).toBe(false); // 01:59:59 CET
    expect(isOnDuty(g, at('2025-03-30T01:00:00Z'))).toBe(true); // 03:00 CEST
    expect(isOnDuty(g, at('2025-03-30T02:00:00Z'))).toBe(false); // 04:00 CEST
  });

  it('starts a shift at local midnight that a change skips when the gap ends (Chile, 7 September 2025)', () => {
    const s = parseHotlineHours('Sun 00:00-06:00 America/Santiago');
    expect(nextOnDuty(s, at('2025-09-06T12:00:00Z'))).toBe(at('2025-09-07T04:00:00Z')); // 01:00 -03
  });

  it('starts a shift whose start time happens twice at the first one, and again at the second', () => {
    const o = parseHotlineHours('Sun 02:30-04:00 Europe/Amsterdam');
    expect(nextOnDuty(o, at('2025-10-25T12:00:00Z'))).toBe(at('2025-10-26T00:30:00Z')); // 02:30 CEST
    // Clocks go back at 01:00 UTC from 03:00 CEST to 02:00 CET: 02:00 to 02:30 CET is not yet the shift…
    expect(isOnDuty(o, at('2025-10-26T01:15:00Z'))).toBe(false);
    // …which begins again at 02:30 CET.
    expect(nextOnDuty(o, at('2025-10-26T01:15:00Z'))).toBe(at('2025-10-26T01:30:00Z'));
  });

  it('resumes a shift that clocks going back return to', () => {
    // New York, 2 November 2025: 02:00 EDT (06:00 UTC) becomes 01:00 EST.
    const r = parseHotlineHours('Sun 00:30-01:30 America/New_York');
    expect(isOnDuty(r, at('2025-11-02T05:45:00Z'))).toBe(false); // 01:45 EDT
    expect(nextOnDuty(r, at('2025-11-02T05:45:00Z'))).toBe(at('2025-11-02T06:00:00Z')); // 01:00 EST
    expect(isOnDuty(r, at('2025-11-02T06:29:00Z'))).toBe(true); // 01:29 EST
    expect(isOnDuty(r, at('2025-11-02T06:30:00Z'))).toBe(false); // 01:30 EST
  });

  it('skips a shift that a change of clocks removes entirely', () => {
    const x = parseHotlineHours('Sun 02:10-02:40 Europe/Amsterdam');
    expect(nextOnDuty(x, at('2025-03-29T12:00:00Z'))).toBe(at('2025-04-06T00:10:00Z')); // the next Sunday, 02:10 CEST
  });
});

describe('nextOnDuty against stepping through the week', () => {
  const specs = [
    'Mon-Fri 08:00-20:00 Asia/Jakarta',
    'Mon,Wed,Sat 09:15-17:45 Europe/Amsterdam',
    'Fri-Mon 20:00-08:00 Europe/Amsterdam',
    'Sun 02:30-03:30 Europe/Amsterdam',
    'Sun 01:30-02:30 America/New_York',
    'Sun 00:30-01:30 America/New_York',
    'Sun 02:15-02:45 Europe/Amsterdam',
    'Tue-Thu 00:00-24:00 America/Sao_Paulo',
    'Sun 00:00-06:00 America/Santiago',
  ];
  // Around the 2025 changes in Europe (30 March, 26 October), the United States (9 March,
  // 2 November) and Chile (6 April, 7 September, at midnight: Sunday 00:00 did not happen on 7 September).
  const starts = ['2025-04-03T12:00:00Z', '2025-09-04T12:00:00Z', '2025-03-06T10:07:00Z', '2025-03-27T13:00:00Z', '2025-10-23T23:41:00Z', '2025-10-30T05:00:00Z', '2025-01-10T14:00:00Z'];

  it.each(specs)('agrees for %s', (spec) => {
    const h = parseHotlineHours(spec);
    for (const s of starts) {
      for (let now = at(s); now < at(s) + 5 * 24 * 60 * MINUTE; now += 137 * MINUTE) {
        expect(nextOnDuty(h, now), `${spec} from ${new Date(now).toISOString()}`).toBe(steppedNextOnDuty(h, now));
      }
    }
  });

  it('is fast', () => {
    const h = parseHotlineHours('Mon-Fri 08:00-20:00 Europe/Amsterdam');
    nextOnDuty(h, at('2025-03-28T17:00:00Z'));
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) nextOnDuty(h, at('2025-03-28T17:00:00Z') + i * 37 * MINUTE);
    const perCall = (performance.now() - t0) / n;
    expect(perCall).toBeLessThan(1);
  });
});
