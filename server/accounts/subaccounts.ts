// Subaccount operations. Passwords and conference passcodes are sealed at rest
// and opened only for the credentials view; a `user` sees and edits only the
// subaccount its login is bound to (password and caller id).
import crypto from 'node:crypto';
import type { AccountRow, Database, SubaccountRow } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, Forbidden, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { type SecretBox, randomPassword } from '../secrets.js';
import { type Caller, reachAccount } from './access.js';
import { recordAudit } from './audit.js';
import { toE164 } from './fields.js';
import * as repo from './subaccount.repository.js';
import {
  type CreateSubaccount,
  type Credentials,
  SELF_EDITABLE,
  type Subaccount,
  type SubaccountFilter,
  type UpdateSubaccount,
  toSubaccount,
} from './subaccount.schemas.js';

const randomPasscode = () => String(crypto.randomInt(100000, 1000000));

export class Subaccounts {
  constructor(private readonly deps: { db: Database; box: SecretBox }) {}

  async list(caller: Caller, accountId: string, filter: SubaccountFilter): Promise<Page<Subaccount>> {
    const account = await reachAccount(this.deps.db, caller, accountId, 'read');
    const only = caller.role === 'user' ? caller.subaccountId : undefined;
    const { rows, total } = await repo.listSubaccounts(this.deps.db, accountId, filter, only);
    return { items: rows.map((r) => toSubaccount(r, account.realm)), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<Subaccount> {
    const account = await reachAccount(this.deps.db, caller, accountId, 'read');
    return toSubaccount(await this.visible(this.deps.db, caller, accountId, id), account.realm);
  }

  async credentials(caller: Caller, accountId: string, id: string): Promise<Credentials> {
    const account = await reachAccount(this.deps.db, caller, accountId, 'read');
    const row = await this.visible(this.deps.db, caller, accountId, id);
    return this.credentialsOf(row, account);
  }

  async create(caller: Caller, accountId: string, input: CreateSubaccount) {
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'manage');
      if (account.kind !== 'account') throw new InvalidField('accountId', 'subaccounts belong to customer accounts, not to staff accounts');
      if (input.kind === 'phone' && input.conferencePasscode !== undefined) {
        throw new InvalidField('conferencePasscode', 'only conference subaccounts have a passcode');
      }
      const networkNumber = await repo.nextNetworkNumber(trx);
      const password = input.sipPassword ?? randomPassword(20);
      const passcode = input.kind === 'conference' ? (input.conferencePasscode ?? randomPasscode()) : null;
      const row = await translatingConstraints(async () =>
        repo.insertSubaccount(trx, {
          account_id: accountId,
          kind: input.kind,
          name: input.name,
          sip_user: input.sipUser ?? networkNumber,
          sip_password_enc: this.deps.box.seal(password),
          extension: input.extension ?? (await repo.freeExtension(trx, accountId)),
          network_number: networkNumber,
          caller_id_name: input.callerIdName ?? null,
          caller_id_number: this.callerIdNumber(input.callerIdNumber, account),
          conference_passcode_enc: passcode === null ? null : this.deps.box.seal(passcode),
          cost_centre: input.costCentre ?? null,
        }),
      );
      const created = toSubaccount(row, account.realm);
      await recordAudit(trx, caller, { accountId, entity: 'subaccount', entityId: row.id, action: 'create', after: created });
      return { ...created, credentials: this.credentialsOf(row, account) };
    });
  }

  async update(caller: Caller, accountId: string, id: string, input: UpdateSubaccount): Promise<Subaccount> {
    if (caller.role === 'user') {
      const other = Object.keys(input).find((k) => !SELF_EDITABLE.has(k as keyof UpdateSubaccount));
      if (other) throw new Forbidden(`you may change only your password and caller id, not ${other}`);
    }
    return this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'read');
      const before = await this.visible(trx, caller, accountId, id);
      if (input.conferencePasscode !== undefined && before.kind !== 'conference') {
        throw new InvalidField('conferencePasscode', 'only conference subaccounts have a passcode');
      }
      const row = await translatingConstraints(() =>
        repo.updateSubaccountRow(trx, id, {
          name: input.name,
          sip_password_enc: input.sipPassword === undefined ? undefined : this.deps.box.seal(input.sipPassword),
          extension: input.extension,
          caller_id_name: input.callerIdName,
          caller_id_number: input.callerIdNumber === undefined ? undefined : this.callerIdNumber(input.callerIdNumber, account),
          conference_passcode_enc: input.conferencePasscode === undefined ? undefined : this.deps.box.seal(input.conferencePasscode),
          cost_centre: input.costCentre,
        }),
      );
      const after = toSubaccount(row, account.realm);
      const secrets = [input.sipPassword && 'SIP password', input.conferencePasscode && 'passcode'].filter(Boolean);
      await recordAudit(trx, caller, {
        accountId,
        entity: 'subaccount',
        entityId: id,
        action: secrets.length ? `update (${secrets.join(', ')} changed)` : 'update',
        before: toSubaccount(before, account.realm),
        after,
      });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'manage');
      const row = await this.visible(trx, caller, accountId, id);
      const numbers = await repo.numbersRoutedTo(trx, id);
      if (numbers.length > 0) {
        throw new Conflict('destination', `numbers still ring this subaccount: ${numbers.map((n) => n.e164).join(', ')}`);
      }
      await repo.deleteSubaccountRow(trx, id);
      await recordAudit(trx, caller, { accountId, entity: 'subaccount', entityId: id, action: 'delete', before: toSubaccount(row, account.realm) });
    });
  }

  private async visible(db: Database, caller: Caller, accountId: string, id: string): Promise<SubaccountRow> {
    if (caller.role === 'user' && caller.subaccountId !== id) throw new NotFound('subaccount');
    const row = await repo.subaccountById(db, accountId, id);
    if (!row) throw new NotFound('subaccount');
    return row;
  }

  private credentialsOf(row: SubaccountRow, account: AccountRow): Credentials {
    return {
      sipUser: row.sip_user,
      sipPassword: this.deps.box.open(row.sip_password_enc),
      realm: account.realm,
      conferencePasscode: row.conference_passcode_enc ? this.deps.box.open(row.conference_passcode_enc) : null,
    };
  }

  private callerIdNumber(value: string | null | undefined, account: AccountRow): string | null {
    if (value === null || value === undefined) return null;
    const e164 = toE164(value, account.country);
    if (!e164) throw new InvalidField('callerIdNumber', `not a valid phone number for ${account.country} or in +E.164 form`);
    return e164;
  }
}

