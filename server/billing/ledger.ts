// The ledger: every change to an account's funds is an append-only entry,
// posted in the same transaction that updates the account's balance row (locked
// FOR UPDATE), so the balance always equals the sum of the entries. Funds are
// the account's, shared by all its subaccounts; an entry may name the
// subaccount it came from. Amounts are signed integer minor units.
import { z } from 'zod';
import type { Database, LedgerEntryKind, LedgerEntryRow } from '../db/index.js';
import { InsufficientFunds, InvalidField } from '../errors.js';
import { addToBalance, balanceAndHeld, insertEntry, lockedBalance } from './ledger.repository.js';

export const LEDGER_ENTRY_KINDS = [
  'topup',
  'initial_credit',
  'call_charge',
  'subscription',
  'proration',
  'refund',
  'adjustment',
] as const satisfies readonly LedgerEntryKind[];

const CREDITS: ReadonlySet<LedgerEntryKind> = new Set(['topup', 'initial_credit', 'refund']);
const DEBITS: ReadonlySet<LedgerEntryKind> = new Set(['call_charge', 'subscription']);

export const ledgerEntryInput = z
  .object({
    accountId: z.guid(),
    subaccountId: z.guid().nullable().default(null),
    kind: z.enum(LEDGER_ENTRY_KINDS),
    amountMinor: z
      .number()
      .int()
      .refine((n) => n !== 0 && Number.isSafeInteger(n), 'a non-zero whole number of minor units')
      .describe('signed: credits > 0, debits < 0'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
    callUuid: z.guid().nullable().default(null),
    memo: z.string().max(500, 'at most 500 characters').default(''),
    createdBy: z.string().min(1).max(200).describe('who posted it: a user id, "switch", "operator"…'),
  })
  .refine((e) => !CREDITS.has(e.kind) || e.amountMinor > 0, { message: 'this kind is a credit (> 0)', path: ['amountMinor'] })
  .refine((e) => !DEBITS.has(e.kind) || e.amountMinor < 0, { message: 'this kind is a debit (< 0)', path: ['amountMinor'] })
  .refine((e) => (e.kind === 'call_charge') === (e.callUuid !== null), {
    message: 'a call_charge names its call, and only a call_charge does',
    path: ['callUuid'],
  });
export type LedgerEntryInput = z.input<typeof ledgerEntryInput>;
export type LedgerEntry = z.output<typeof ledgerEntryInput>;

export interface PostOptions {
  /**
   * Prepaid accounts: refuse (InsufficientFunds) a debit that would leave less
   * than the active call reservations hold. Call charges at settlement skip
   * this: the call has happened and its reservation covered it.
   */
  noOverdraft?: boolean;
  /** when the entry happened (default: now); the billing period it is invoiced in follows from it */
  at?: Date | undefined;
}

export interface Posted {
  /** Undefined when a call_charge for this call was already posted: nothing changed. */
  entry: LedgerEntryRow | undefined;
  balanceMinor: number;
}

/** Posts one entry and updates the balance, in one transaction. */
export async function postEntry(db: Database, input: LedgerEntryInput, options: PostOptions = {}): Promise<Posted> {
  const entry = parsed(input);
  return db.transaction().execute((trx) => postEntryIn(trx, entry, options));
}

/** postEntry inside a transaction the caller opened (it must not have locked other balances first). */
export async function postEntryIn(trx: Database, entry: LedgerEntry, options: PostOptions = {}): Promise<Posted> {
  const balance = await lockedBalance(trx, entry.accountId, entry.currency);
  if (balance.currency !== entry.currency) {
    throw new InvalidField('currency', `the account's balance is in ${balance.currency}`);
  }
  if (options.noOverdraft && entry.amountMinor < 0) {
    if (balance.balance_minor - balance.held_minor + entry.amountMinor < 0) throw new InsufficientFunds();
  }
  const row = await insertEntry(trx, {
    account_id: entry.accountId,
    subaccount_id: entry.subaccountId,
    kind: entry.kind,
    amount_minor: entry.amountMinor,
    currency: entry.currency,
    call_uuid: entry.callUuid,
    memo: entry.memo,
    created_by: entry.createdBy,
    // the application's clock, like every `at` passed in: entries posted together stay in one billing period
    created_at: options.at ?? new Date(),
  });
  if (!row) return { entry: undefined, balanceMinor: balance.balance_minor };
  return { entry: row, balanceMinor: await addToBalance(trx, entry.accountId, entry.amountMinor) };
}

export interface Balance {
  accountId: string;
  balanceMinor: number;
  /** Undefined while the account has no entries. */
  currency: string | undefined;
  /** What active call reservations hold. */
  heldMinor: number;
  /** balanceMinor − heldMinor: what new calls and debits may use. */
  availableMinor: number;
}

/** The balance and what calls in progress hold, as of one instant: both come from one statement. */
export async function balanceOf(db: Database, accountId: string): Promise<Balance> {
  const { row, heldMinor: held } = await balanceAndHeld(db, accountId);
  const balanceMinor = row?.balance_minor ?? 0;
  return { accountId, balanceMinor, currency: row?.currency, heldMinor: held, availableMinor: balanceMinor - held };
}

function parsed(input: LedgerEntryInput): LedgerEntry {
  const result = ledgerEntryInput.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new InvalidField(String(issue.path[0] ?? 'entry'), issue.message);
}
