// Account operations: create under a reseller or the operator, read, settings,
// realm rename (with confirmation), delete when empty.
import crypto from 'node:crypto';
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js';
import type { AccountRow, AccountUpdate, Database } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, Forbidden, InvalidField } from '../errors.js';
import type { Page } from '../paging.js';
import { randomPassword } from '../secrets.js';
import { type Caller, canSee, isStaff, reachAccount } from './access.js';
import * as repo from './account.repository.js';
import {
  type Account,
  type AccountFilter,
  type ContactInput,
  type CreateAccount,
  type UpdateAccount,
  toAccount,
} from './account.schemas.js';
import { recordAudit } from './audit.js';
import { type ChangeDeps, committedChange } from './changes.js';
import { toE164 } from './fields.js';
import { hashPassword } from './passwords.js';
import { insertUser } from './user.repository.js';

export interface AccountSettings {
  realmDomain: string;
  defaults: { timezone: string; country: string };
}

const REALM_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function generatedRealm(domain: string): string {
  const head = Array.from({ length: 8 }, () => REALM_ALPHABET[crypto.randomInt(REALM_ALPHABET.length)]).join('');
  return `${head}.${domain}`;
}

/** A local prefix must lie in the account's own country: calls elsewhere are international. */
function checkLocalPrefixes(prefixes: readonly string[], country: string): void {
  let code: string;
  try {
    code = getCountryCallingCode(country as CountryCode);
  } catch {
    return; // a country libphonenumber does not know: routing reads every call there as international anyway
  }
  const stray = prefixes.findIndex((p) => !p.startsWith(`+${code}`));
  if (stray >= 0) throw new InvalidField(`localPrefixes.${stray}`, `${prefixes[stray]} is not in ${country} (+${code})`);
}

/** A contact's phone in E.164, read in the account's country when typed nationally. */
function storedContact(field: string, input: ContactInput | null | undefined, country: string) {
  if (!input) return input;
  const phone = input.phone === null ? null : toE164(input.phone, country);
  if (phone === undefined) throw new InvalidField(`${field}.phone`, `not a valid phone number for ${country} or in +E.164 form`);
  return JSON.stringify({ name: input.name, email: input.email, phone });
}

/** The seed-003 settings columns an update sets (undefined: unchanged). */
function settingsColumns(input: UpdateAccount, country: string): AccountUpdate {
  return {
    technical_contact: storedContact('technicalContact', input.technicalContact, country),
    billing_contact: storedContact('billingContact', input.billingContact, country),
    number_format: input.numberFormat?.style,
    number_format_countries: input.numberFormat && [...new Set(input.numberFormat.nationalFor)].sort(),
    trunks_inbound: input.trunkLimits?.inbound,
    trunks_outbound: input.trunkLimits?.outbound,
    trunks_twoway: input.trunkLimits?.twoWay,
  };
}

export class Accounts {
  constructor(private readonly deps: ChangeDeps & { settings: AccountSettings }) {}

  async list(caller: Caller, filter: AccountFilter): Promise<Page<Account>> {
    const { rows, total } = await repo.listAccounts(this.deps.db, caller, filter);
    return { items: rows.map(toAccount), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, id: string): Promise<Account> {
    return toAccount(await reachAccount(this.deps.db, caller, id, 'read'));
  }

  async create(caller: Caller, input: CreateAccount) {
    if (!isStaff(caller)) throw new Forbidden('only the operator and resellers create accounts');
    const ownerPassword = input.owner ? (input.owner.password ?? randomPassword(16)) : undefined;
    const passwordHash = ownerPassword ? await hashPassword(ownerPassword) : undefined;
    return committedChange(this.deps, async (trx) => {
      const parent = await this.parentFor(trx, caller, input.parentId);
      const row = await translatingConstraints(() =>
        repo.insertAccount(trx, {
          parent_id: parent.id,
          parentLineage: parent.lineage,
          kind: input.kind,
          name: input.name,
          realm: input.realm ?? generatedRealm(this.deps.settings.realmDomain),
          timezone: input.timezone ?? this.deps.settings.defaults.timezone,
          country: input.country ?? this.deps.settings.defaults.country,
        }),
      );
      const created = toAccount(row);
      await recordAudit(trx, caller, { accountId: row.id, entity: 'account', entityId: row.id, action: 'create', after: created });
      if (!input.owner || !passwordHash) return created;
      const user = await translatingConstraints(() =>
        insertUser(trx, {
          account_id: row.id,
          email: input.owner!.email,
          name: input.owner!.name,
          password_hash: passwordHash,
          role: input.kind === 'reseller' ? 'reseller' : 'owner',
          subaccount_id: null,
          timezone: null,
        }),
      ).catch((error: unknown) => {
        throw error instanceof Conflict ? new Conflict('owner.email', 'owner.email is already in use') : error;
      });
      await recordAudit(trx, caller, {
        accountId: row.id,
        entity: 'user',
        entityId: user.id,
        action: 'create',
        after: { email: user.email, role: user.role },
      });
      const generated = input.owner.password === undefined ? { password: ownerPassword } : {};
      return { ...created, owner: { id: user.id, email: user.email, ...generated } };
    });
  }

  private async parentFor(db: Database, caller: Caller, parentId: string | undefined): Promise<AccountRow> {
    const parent = await repo.accountById(db, parentId ?? caller.accountId);
    if (!parent || !canSee(caller, parent)) throw new InvalidField('parentId', 'no such account');
    if (parent.kind === 'account') throw new InvalidField('parentId', 'accounts can only be created under the operator or a reseller');
    return parent;
  }

  async update(caller: Caller, id: string, input: UpdateAccount) {
    if (input.realm !== undefined && input.confirmRealmChange !== true) {
      throw new InvalidField('confirmRealmChange', 'changing the realm changes the SIP domain of every device: send confirmRealmChange: true');
    }
    if (input.status !== undefined && !isStaff(caller)) throw new Forbidden('only staff suspend or reactivate accounts');
    if (input.trunkLimits !== undefined && !isStaff(caller)) throw new Forbidden('only staff change trunk limits');
    return committedChange(this.deps, async (trx) => {
      const before = await reachAccount(trx, caller, id, 'manage');
      if (input.localPrefixes !== undefined || input.country !== undefined) {
        checkLocalPrefixes(input.localPrefixes ?? before.local_prefixes, input.country ?? before.country);
      }
      const row = await translatingConstraints(() =>
        repo.updateAccountRow(trx, id, {
          name: input.name,
          realm: input.realm,
          timezone: input.timezone,
          country: input.country,
          status: input.status,
          caller_id_privacy: input.callerIdPrivacy,
          local_prefixes: input.localPrefixes && [...new Set(input.localPrefixes)].sort(),
          ...settingsColumns(input, input.country ?? before.country),
        }),
      );
      await recordAudit(trx, caller, { accountId: id, entity: 'account', entityId: id, action: 'update', before: toAccount(before), after: toAccount(row) });
      const warnings: string[] = [];
      if (input.realm !== undefined && input.realm !== before.realm) {
        const deps = await repo.dependentsOf(trx, id);
        warnings.push(
          `realm changed from ${before.realm} to ${row.realm}: ${deps.subaccounts} subaccount(s) and ${deps.devices} device(s) must register with the new domain`,
        );
      }
      return { ...toAccount(row), warnings };
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await committedChange(this.deps, async (trx) => {
      const account = await reachAccount(trx, caller, id, 'staff');
      if (account.kind === 'operator' || account.id === caller.accountId) throw new Forbidden('an account cannot delete itself');
      const deps = await repo.dependentsOf(trx, id);
      const blocking = Object.entries(deps).find(([, n]) => n > 0);
      if (blocking) throw new Conflict(blocking[0], `the account still has ${blocking[1]} ${blocking[0]}; remove them first`);
      await repo.deleteAccountRow(trx, id);
      await recordAudit(trx, caller, { accountId: id, entity: 'account', entityId: id, action: 'delete', before: toAccount(account) });
    });
  }

  /** The operator (root) account, created on first start. */
  async ensureOperator(name: string): Promise<AccountRow> {
    const existing = await repo.operatorAccount(this.deps.db);
    if (existing) return existing;
    return repo.insertAccount(this.deps.db, {
      parent_id: null,
      parentLineage: [],
      kind: 'operator',
      name,
      realm: `operator.${this.deps.settings.realmDomain}`,
      timezone: this.deps.settings.defaults.timezone,
      country: this.deps.settings.defaults.country,
    });
  }
}

