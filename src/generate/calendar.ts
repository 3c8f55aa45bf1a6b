/**
 * The generator's calendar: the data span as day indices and every timestamp as integer seconds since the
 * span's first midnight (UTC). Date strings for each day and 'HH:MM' strings for each minute are built once,
 * so the hot loop formats a timestamp by concatenating table entries instead of calling Date or padStart
 * tens of millions of times.
 */

export interface Calendar {
  /** Days since 1970-01-01 of the span's first day. */
  startEpochDay: number;
  startDate: string;
  endDate: string;
  /** Days in the span, start and end inclusive (= options.days + 1). */
  nDays: number;
  iso: string[];
  /** iso + 'T' and iso + ' ' (prefixes of the two ISO timestamp styles). */
  isoT: string[];
  isoSpace: string[];
  /** 'YYYY-MM-DD' for day indices from -BEFORE up to the span (sign-up dates reach back before the data). */
  isoFrom: (day: number) => string;
  dmySlash: string[];
  dmyDot: string[];
  /** Index into `months` for each day. */
  month: Int32Array;
  /** 1 when the day is one of the last two days of its calendar month (repeated by the next month's export). */
  lastTwo: Uint8Array;
  /** 'YYYY-MM' for every month the span touches. */
  months: string[];
  /** Day index of each month's first day (negative for a month that starts before the span). */
  monthStart: Int32Array;
}

export const DAY = 86400;
const BEFORE = 1000;
/** '00'..'99' */
export const P2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);
/** 'HH:MM' for each minute of the day. */
export const HM: string[] = Array.from({ length: 1440 }, (_, m) => `${P2[Math.floor(m / 60)]}:${P2[m % 60]}`);

export function parseIsoDate(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`endDate must be YYYY-MM-DD, got "${s}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  if (back !== s) throw new Error(`endDate is not a calendar date: "${s}"`);
  return ms / 86_400_000;
}

export function isoOfEpochDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function buildCalendar(endDate: string, days: number): Calendar {
  if (!Number.isInteger(days) || days < 200) throw new Error(`days must be an integer ≥ 200, got ${days}`);
  const endDay = parseIsoDate(endDate);
  const startDay = endDay - days;
  const nDays = days + 1;
  const iso: string[] = [];
  const dmySlash: string[] = [];
  const dmyDot: string[] = [];
  const month = new Int32Array(nDays);
  const lastTwo = new Uint8Array(nDays);
  const months: string[] = [];
  const monthStart: number[] = [];
  for (let d = 0; d < nDays; d++) {
    const date = new Date((startDay + d) * 86_400_000);
    const y = date.getUTCFullYear();
    const mo = date.getUTCMonth();
    const dd = date.getUTCDate();
    const ym = `${y}-${P2[mo + 1]}`;
    if (months[months.length - 1] !== ym) {
      months.push(ym);
      monthStart.push(d - dd + 1);
    }
    month[d] = months.length - 1;
    iso.push(`${ym}-${P2[dd]}`);
    dmySlash.push(`${P2[dd]}/${P2[mo + 1]}/${y}`);
    dmyDot.push(`${P2[dd]}.${P2[mo + 1]}.${y}`);
    const daysInMonth = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
    lastTwo[d] = dd >= daysInMonth - 1 ? 1 : 0;
  }
  const before = Array.from({ length: BEFORE }, (_, k) => isoOfEpochDay(startDay - BEFORE + k));
  const isoFrom = (day: number): string =>
    day >= 0 ? (iso[day] ?? isoOfEpochDay(startDay + day)) : (before[BEFORE + day] ?? isoOfEpochDay(startDay + day));
  return {
    startEpochDay: startDay,
    isoFrom,
    isoT: iso.map((d) => `${d}T`),
    isoSpace: iso.map((d) => `${d} `),
    startDate: isoOfEpochDay(startDay),
    endDate,
    nDays,
    iso,
    dmySlash,
    dmyDot,
    month,
    lastTwo,
    months,
    monthStart: Int32Array.from(monthStart),
  };
}

/** 'HH:MM:SS' for each second of the day (86,400 short strings, built once: cheaper than formatting each time). */
const HMS: string[] = Array.from({ length: DAY }, (_, s) => `${HM[Math.floor(s / 60)]}:${P2[s % 60]}`);

function clock(ts: number): string {
  return HMS[ts % DAY]!;
}

/** '05/03/2024 14:07' (the shop's export format, minutes only). */
export function fmtSlashMinute(cal: Calendar, ts: number): string {
  return `${cal.dmySlash[Math.floor(ts / DAY)]} ${HM[Math.floor((ts % DAY) / 60)]}`;
}

const HMSZ: string[] = HMS.map((t) => `${t}Z`);

/** '2024-03-05T14:07:11Z' */
export function fmtIsoZ(cal: Calendar, ts: number): string {
  return cal.isoT[Math.floor(ts / DAY)]! + HMSZ[ts % DAY]!;
}

/** '2024-03-05 14:07:11' */
export function fmtIsoSpace(cal: Calendar, ts: number): string {
  return cal.isoSpace[Math.floor(ts / DAY)]! + HMS[ts % DAY]!;
}

/** '05.03.2024 14:07:11' */
export function fmtDot(cal: Calendar, ts: number): string {
  return `${cal.dmyDot[Math.floor(ts / DAY)]} ${clock(ts)}`;
}

/** Pence as '12.50'. */
export function fmtMoney(pence: number): string {
  if (pence === 0) return '0.00';
  const neg = pence < 0;
  const p = Math.abs(pence);
  return `${neg ? '-' : ''}${Math.floor(p / 100)}.${P2[p % 100]}`;
}
