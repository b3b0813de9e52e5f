// Explicit instants. Every time in zkreserve is passed in (no wall clock) and stored as integer Unix ms (UTC).
import { InvalidTimeError } from './errors.js';

/** A `Date`, an ISO-8601 string with an explicit zone (`Z` or `±HH:MM`), or integer Unix milliseconds. */
export type Instant = Date | string | number;

/** Largest instant a JS Date can represent (+275760-09-13). */
export const MAX_INSTANT_MS = 8_640_000_000_000_000;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][month - 1]!;
}

function checkRange(ms: number, original: string): number {
  if (ms < 0 || ms > MAX_INSTANT_MS) {
    throw new InvalidTimeError(
      `time ${original} is out of range: expected 0 (1970-01-01Z) .. ${MAX_INSTANT_MS} Unix ms`,
    );
  }
  return ms;
}

function parseIso(text: string): number {
  const m = ISO_RE.exec(text);
  if (!m) {
    const zoneless = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(text);
    throw new InvalidTimeError(
      zoneless
        ? `time ${JSON.stringify(text)} has no zone: add "Z" or an offset like "+09:00"`
        : `malformed time ${JSON.stringify(text)}: expected ISO-8601 "YYYY-MM-DDTHH:MM[:SS[.sss]]" with "Z" or "±HH:MM"`,
    );
  }
  const [, ys, mos, ds, hs, mis, ss = '0', frac = '', zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new InvalidTimeError(`invalid calendar time ${JSON.stringify(text)}`);
  }
  if (frac.length > 3 && !/^0+$/.test(frac.slice(3))) {
    throw new InvalidTimeError(
      `time ${JSON.stringify(text)} has sub-millisecond precision; times are integer ms`,
    );
  }
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone![0] === '-' ? -1 : 1;
    const oh = Number(zone!.slice(1, 3));
    const om = Number(zone!.slice(4, 6));
    if (oh > 23 || om > 59) throw new InvalidTimeError(`invalid zone offset in ${JSON.stringify(text)}`);
    offsetMin = sign * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
  return checkRange(utc, JSON.stringify(text));
}

/**
 * Converts an explicit instant to integer Unix ms. `what` names the argument in error messages.
 * A missing value, a zone-less string, a float or an invalid Date throws InvalidTimeError.
 */
export function parseInstant(value: Instant, what = 'time'): number {
  if (value === undefined || value === null) {
    throw new InvalidTimeError(`${what} is required (there is no default to "now")`);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new InvalidTimeError(`${what} must be integer Unix milliseconds, got ${String(value)}`);
    }
    return checkRange(value, String(value));
  }
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new InvalidTimeError(`${what} is an invalid Date`);
    return checkRange(t, value.toISOString());
  }
  if (typeof value === 'string') {
    try {
      return parseIso(value);
    } catch (e) {
      if (e instanceof InvalidTimeError) throw new InvalidTimeError(`${what}: ${e.message}`);
      throw e;
    }
  }
  throw new InvalidTimeError(
    `${what} must be a Date, an ISO-8601 string with a zone, or Unix ms; got ${typeof value}`,
  );
}

/** Formats Unix ms as an ISO-8601 UTC string, e.g. `2026-01-31T00:00:00.000Z`. */
export function formatInstant(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new InvalidTimeError(`not integer Unix ms: ${String(ms)}`);
  checkRange(ms, String(ms));
  return new Date(ms).toISOString();
}
