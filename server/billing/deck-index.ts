// The rate deck in memory, ready for rating: longest-prefix match of a dialed
// number, and per prefix the version in force when the call started.
//
// Built for speed (hundreds of thousands of lookups a second on one core):
// prefixes never start with 0, so the number a prefix's digits spell is a
// unique key; a lookup accumulates those numbers digit by digit into a reused
// buffer and probes one Map from the longest candidate down. No strings are
// sliced and nothing is allocated per lookup.
import { Conflict, InvalidField } from '../errors.js';
import type { DeckRow } from './rate-deck.js';

/** What rating needs from a rate deck; RateDeckIndex is the real one. */
export interface RateLookup {
  lookup(e164Digits: string, at: Date): DeckRow | undefined;
}

const MAX_PREFIX_DIGITS = 15;
const PREFIX = /^[1-9]\d{0,14}$/;
const ZERO_CODE = 48;
const PLUS_CODE = 43;

/** The versions of one prefix, oldest first. */
interface Versions {
  readonly from: number[];
  readonly rows: DeckRow[];
}

export class RateDeckIndex implements RateLookup {
  private readonly byPrefix = new Map<number, Versions>();
  private readonly hasLength: boolean[] = new Array<boolean>(MAX_PREFIX_DIGITS + 1).fill(false);
  private readonly candidates = new Float64Array(MAX_PREFIX_DIGITS);
  private longest = 0;

  /** Throws Conflict when a prefix has two rows with the same effective date (the parser reports those first). */
  constructor(rows: readonly DeckRow[]) {
    const grouped = new Map<number, DeckRow[]>();
    for (const row of rows) {
      if (!PREFIX.test(row.prefix)) throw new InvalidField('prefix', `"${row.prefix}" is not E.164 digits without +`);
      const key = Number(row.prefix);
      const group = grouped.get(key);
      if (group) group.push(row);
      else grouped.set(key, [row]);
      this.hasLength[row.prefix.length] = true;
      this.longest = Math.max(this.longest, row.prefix.length);
    }
    for (const [key, group] of grouped) this.byPrefix.set(key, versionsOf(group));
  }

  /** How many distinct prefixes the deck has. */
  get prefixCount(): number {
    return this.byPrefix.size;
  }

  /**
   * The row for the longest prefix of `e164Digits` that has a version in force
   * at `at` (the latest effective date ≤ at). A longer prefix whose rates all
   * start after `at` did not exist yet, so a shorter one answers. Digits are
   * E.164 without '+' (a leading '+' is skipped); a number starting with 0
   * matches nothing.
   */
  lookup(e164Digits: string, at: Date): DeckRow | undefined {
    const count = this.candidateKeys(e164Digits);
    const time = at.getTime();
    for (let length = count; length > 0; length--) {
      if (!this.hasLength[length]) continue;
      const versions = this.byPrefix.get(this.candidates[length - 1] ?? 0);
      const row = versions && versionAt(versions, time);
      if (row) return row;
    }
    return undefined;
  }

  /** Fills `candidates` with the numeric keys of the number's first 1…n digits; returns n. */
  private candidateKeys(digits: string): number {
    const start = digits.charCodeAt(0) === PLUS_CODE ? 1 : 0;
    if (digits.charCodeAt(start) === ZERO_CODE) return 0;
    const end = Math.min(digits.length, start + this.longest);
    let key = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const digit = digits.charCodeAt(i) - ZERO_CODE;
      if (digit < 0 || digit > 9) break;
      key = key * 10 + digit;
      this.candidates[count++] = key;
    }
    return count;
  }
}

/** A prefix's rows oldest first; two on the same date are a conflict. */
function versionsOf(group: DeckRow[]): Versions {
  const rows = [...group].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  const from = rows.map((row) => row.effectiveFrom.getTime());
  const tie = rows.find((row, i) => i > 0 && from[i] === from[i - 1]);
  if (tie) {
    const day = tie.effectiveFrom.toISOString().slice(0, 10);
    throw new Conflict('prefix', `prefix ${tie.prefix} has two rates effective ${day}`);
  }
  return { from, rows };
}

/** The latest version effective at or before `time` (binary search over dates, oldest first). */
function versionAt(versions: Versions, time: number): DeckRow | undefined {
  let low = 0;
  let high = versions.from.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((versions.from[mid] ?? Infinity) <= time) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? versions.rows[low - 1] : undefined;
}
