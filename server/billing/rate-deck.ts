// Rate decks: a carrier's price list as CSV (prefix, destination, cost per
// minute, connection fee, increments, effective date), read into typed rows.
// Every bad row is reported with its line number and field; the caller imports
// nothing while any error remains, so a deck is never half imported.
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { decimalToMicros } from './money.js';

export const DECK_COLUMNS = [
  'prefix',
  'destination',
  'cost_per_minute',
  'connection_fee',
  'increments',
  'effective_date',
] as const;
type DeckColumn = (typeof DECK_COLUMNS)[number];

export interface DeckRow {
  /** E.164 digits without '+', no leading zero. */
  readonly prefix: string;
  readonly destination: string;
  readonly costPerMinuteMicros: number;
  readonly connectionFeeMicros: number;
  readonly firstIncrementSeconds: number;
  readonly nextIncrementSeconds: number;
  /** UTC midnight of the effective date; the row applies to calls started at or after it. */
  readonly effectiveFrom: Date;
}

export interface DeckError {
  /** 1-based line of the CSV text; for a quoted field spanning lines, the line where the row ends. */
  readonly line: number;
  /** A column name, or 'row' / 'csv' when the row or the file as a whole is unreadable. */
  readonly field: string;
  readonly message: string;
}

export interface ParsedDeck {
  rows: DeckRow[];
  errors: DeckError[];
}

export interface ParseOptions {
  /** Called with the number of data rows checked so far, every `progressEvery` rows and once at the end. */
  onProgress?: (rowsDone: number) => void;
  progressEvery?: number;
}

/** Major units as a decimal string, read exactly into micros. */
const money = z.string().transform((text, ctx) => {
  const value = decimalToMicros(text);
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a decimal in major units such as 0.0123: at most 6 decimals, at most 1000' });
  }
  return value ?? 0;
});

const increments = z
  .string()
  .regex(/^\d{1,4}\/\d{1,4}$/, 'first/next seconds such as 60/6 or 1/1')
  .transform((text) => text.split('/').map(Number) as [number, number])
  .refine(([first, next]) => first >= 1 && next >= 1 && first <= 3600 && next <= 3600, 'each between 1 and 3600 seconds');

/** YYYY-MM-DD as UTC midnight; a date that does not exist (2024-02-30) is refused, not rolled over. */
const effectiveDate = z.string().transform((text, ctx) => {
  const [year = 0, month = 0, day = 0] = /^\d{4}-\d{2}-\d{2}$/.test(text) ? text.split('-').map(Number) : [];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    ctx.addIssue({ code: 'custom', message: 'a calendar date as YYYY-MM-DD' });
  }
  return date;
});

const deckLine = z.object({
  prefix: z.string().regex(/^[1-9]\d{0,14}$/, 'E.164 digits without +, 1 to 15, not starting with 0'),
  destination: z.string().min(1, 'required').max(120, 'at most 120 characters'),
  cost_per_minute: money,
  connection_fee: money,
  increments,
  effective_date: effectiveDate,
});

/** Reads a rate deck. Imports nothing itself: callers must refuse the rows while `errors` is non-empty. */
export function parseRateDeck(csvText: string, options: ParseOptions = {}): ParsedDeck {
  const reader = new DeckReader(options);
  try {
    parse(csvText, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (fields: string[], context) => {
        reader.accept(fields, context.lines);
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { rows: [], errors: [{ line: Number(error.lines ?? 0), field: 'csv', message: error.message }] };
  }
  return reader.result();
}

/** Checks records as the CSV parser produces them: the header first, then each row. */
class DeckReader {
  private order: DeckColumn[] | undefined;
  private readonly rows: DeckRow[] = [];
  private readonly errors: DeckError[] = [];
  private readonly firstLineOf = new Map<string, number>();
  private rowsDone = 0;

  constructor(private readonly options: ParseOptions) {}

  accept(fields: string[], line: number): void {
    if (this.order) {
      this.readRow(fields, line, this.order);
      return;
    }
    if (this.errors.length > 0) return; // the header was bad: its rows cannot be read
    const header = headerColumns(fields, line);
    if ('errors' in header) this.errors.push(...header.errors);
    else this.order = header.order;
  }

  result(): ParsedDeck {
    if (this.order === undefined && this.errors.length === 0) return { rows: [], errors: [missingHeader(1)] };
    const every = this.options.progressEvery ?? 10_000;
    if (this.rowsDone % every !== 0) this.options.onProgress?.(this.rowsDone);
    return this.errors.length > 0 ? { rows: [], errors: this.errors } : { rows: this.rows, errors: [] };
  }

  private readRow(fields: string[], line: number, order: DeckColumn[]): void {
    const checked = checkedRow(line, fields, order);
    const duplicate = 'row' in checked ? duplicateOf(checked.row, line, this.firstLineOf) : undefined;
    if ('errors' in checked) this.errors.push(...checked.errors);
    else if (duplicate) this.errors.push(duplicate);
    else this.rows.push(checked.row);
    this.rowsDone++;
    if (this.rowsDone % (this.options.progressEvery ?? 10_000) === 0) this.options.onProgress?.(this.rowsDone);
  }
}

function missingHeader(line: number): DeckError {
  return { line, field: 'csv', message: `a header row is required: ${DECK_COLUMNS.join(',')}` };
}

/** The position of each deck column in the header (columns may come in any order, any case). */
function headerColumns(fields: string[], line: number): { order: DeckColumn[] } | { errors: DeckError[] } {
  const known = new Set<string>(DECK_COLUMNS);
  const names = fields.map((field) => field.toLowerCase());
  if (!names.some((name) => known.has(name))) return { errors: [missingHeader(line)] };
  const errors: DeckError[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.has(name)) errors.push({ line, field: name, message: `unknown column "${name}"` });
    else if (seen.has(name)) errors.push({ line, field: name, message: `column "${name}" appears twice` });
    seen.add(name);
  }
  for (const name of DECK_COLUMNS) {
    if (!seen.has(name)) errors.push({ line, field: name, message: `missing column "${name}"` });
  }
  return errors.length > 0 ? { errors } : { order: names as DeckColumn[] };
}

function checkedRow(line: number, fields: string[], order: DeckColumn[]): { row: DeckRow } | { errors: DeckError[] } {
  if (fields.length !== order.length) {
    return { errors: [{ line, field: 'row', message: `expected ${order.length} fields, found ${fields.length}` }] };
  }
  const record: Partial<Record<DeckColumn, string>> = {};
  order.forEach((column, i) => (record[column] = fields[i]));
  const result = deckLine.safeParse(record);
  if (!result.success) {
    return { errors: result.error.issues.map((issue) => ({ line, field: String(issue.path[0]), message: issue.message })) };
  }
  const v = result.data;
  return {
    row: {
      prefix: v.prefix,
      destination: v.destination,
      costPerMinuteMicros: v.cost_per_minute,
      connectionFeeMicros: v.connection_fee,
      firstIncrementSeconds: v.increments[0],
      nextIncrementSeconds: v.increments[1],
      effectiveFrom: v.effective_date,
    },
  };
}

/**
 * The same prefix twice with the same effective date is ambiguous — which
 * price did the carrier mean? — so the later line is an error, never "last wins".
 */
function duplicateOf(row: DeckRow, line: number, firstLineOf: Map<string, number>): DeckError | undefined {
  const key = `${row.prefix}@${row.effectiveFrom.getTime()}`;
  const first = firstLineOf.get(key);
  if (first === undefined) {
    firstLineOf.set(key, line);
    return undefined;
  }
  return { line, field: 'prefix', message: `prefix ${row.prefix} already has a rate effective that day on line ${first}` };
}
