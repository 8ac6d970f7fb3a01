// Subaccount operations. Passwords, conference passcodes and moderator PINs are
// sealed at rest and opened only for the credentials view; a `user` sees and
// edits only the subaccount its login is bound to (password and caller id).
// Extensions are shared with hunt groups: one number, one thing to ring.
import crypto from 'node:crypto';
import type { AccountRow, Database, SubaccountRow } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Conflict, Forbidden, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { type SecretBox, randomPassword } from '../secrets.js';
import { type Caller, reachAccount } from './access.js';
import { lockAccount } from './account.repository.js';
import { recordAudit } from './audit.js';
import { type ChangeDeps, committedChange } from './changes.js';
import type { RoutingTargets } from './destinations.js';
import { toE164 } from './fields.js';
import * as repo from './subaccount.repository.js';
import {
  type CreateSubaccount,
  type Credentials,
  DEFAULT_MAX_PARTICIPANTS,
  SELF_EDITABLE,
  type Subaccount,
  type SubaccountFilter,
  type UpdateSubaccount,
  toSubaccount,
} from './subaccount.schemas.js';

const randomPasscode = () => String(crypto.randomInt(100000, 1000000));

/** Fields only a conference subaccount has, and what each is. */
const CONFERENCE_ONLY = { conferencePasscode: 'a passcode', maxParticipants: 'a participant limit', moderatorPin: 'a moderator PIN' };

function refuseConferenceFields(input: Partial<Record<keyof typeof CONFERENCE_ONLY, unknown>>): void {
  const field = (Object.keys(CONFERENCE_ONLY) as (keyof typeof CONFERENCE_ONLY)[]).find((f) => input[f] !== undefined);
  if (field) throw new InvalidField(field, `only conference subaccounts have ${CONFERENCE_ONLY[field]}`);
}

/** What adding a subaccount asks billing (features below never import it; the composition root wires it). */
export interface SeatCheck {
  /** throws when the account has no billed user free for one more subaccount */
  beforeAdd(trx: Database, accountId: string): Promise<void>;
}

export class Subaccounts {
  private seats: SeatCheck | undefined;

  constructor(private readonly deps: ChangeDeps & { box: SecretBox; targets: RoutingTargets }) {}

  /** Set once billing runs: each subaccount is a billed user (seed 002), checked in the creation's transaction. */
  useSeatCheck(seats: SeatCheck): void {
    this.seats = seats;
  }

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
    return committedChange(this.deps, async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'manage');
      if (account.kind !== 'account') throw new InvalidField('accountId', 'subaccounts belong to customer accounts, not to staff accounts');
      if (input.kind === 'phone') refuseConferenceFields(input);
      await this.seats?.beforeAdd(trx, accountId);
      const conference = input.kind === 'conference';
      const passcode = conference ? (input.conferencePasscode ?? randomPasscode()) : null;
      if (input.moderatorPin !== undefined && input.moderatorPin === passcode) {
        throw new InvalidField('moderatorPin', 'the moderator PIN must differ from the conference passcode');
      }
      const extension = await this.freeOrCheckedExtension(trx, accountId, input.extension);
      const networkNumber = await repo.nextNetworkNumber(trx);
      const password = input.sipPassword ?? randomPassword(20);
      const row = await translatingConstraints(async () =>
        repo.insertSubaccount(trx, {
          account_id: accountId,
          kind: input.kind,
          name: input.name,
          sip_user: input.sipUser ?? networkNumber,
          sip_password_enc: this.deps.box.seal(password),
          extension,
          network_number: networkNumber,
          caller_id_name: input.callerIdName ?? null,
          caller_id_number: this.callerIdNumber(input.callerIdNumber, account),
          conference_passcode_enc: passcode === null ? null : this.deps.box.seal(passcode),
          conference_max_participants: conference ? (input.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS) : null,
          conference_moderator_pin_enc: input.moderatorPin === undefined ? null : this.deps.box.seal(input.moderatorPin),
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
    return committedChange(this.deps, async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'read');
      const before = await this.visible(trx, caller, accountId, id);
      if (before.kind !== 'conference') refuseConferenceFields(input);
      else if (input.moderatorPin !== undefined || input.conferencePasscode !== undefined) this.checkModeratorPin(before, input);
      if (input.extension !== undefined && input.extension !== before.extension) {
        await this.freeOrCheckedExtension(trx, accountId, input.extension);
      }
      const row = await translatingConstraints(() =>
        repo.updateSubaccountRow(trx, id, {
          name: input.name,
          sip_password_enc: input.sipPassword === undefined ? undefined : this.deps.box.seal(input.sipPassword),
          extension: input.extension,
          caller_id_name: input.callerIdName,
          caller_id_number: input.callerIdNumber === undefined ? undefined : this.callerIdNumber(input.callerIdNumber, account),
          conference_passcode_enc: input.conferencePasscode === undefined ? undefined : this.deps.box.seal(input.conferencePasscode),
          conference_max_participants: input.maxParticipants,
          conference_moderator_pin_enc:
            input.moderatorPin === undefined ? undefined : input.moderatorPin === null ? null : this.deps.box.seal(input.moderatorPin),
          cost_centre: input.costCentre,
        }),
      );
      const after = toSubaccount(row, account.realm);
      const secrets = [
        input.sipPassword && 'SIP password',
        input.conferencePasscode && 'passcode',
        input.moderatorPin !== undefined && 'moderator PIN',
      ].filter(Boolean);
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
    await committedChange(this.deps, async (trx) => {
      const account = await reachAccount(trx, caller, accountId, 'manage');
      const row = await this.visible(trx, caller, accountId, id);
      await lockAccount(trx, accountId); // no call flow may start routing here while we look
      const routing = await this.deps.targets.routingTo(trx, accountId, { kind: 'subaccount', id });
      if (routing.length > 0) throw new Conflict('destination', `calls are still routed to this subaccount by ${routing.join(', ')}`);
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
    const open = (sealed: string | null) => (sealed ? this.deps.box.open(sealed) : null);
    return {
      sipUser: row.sip_user,
      sipPassword: this.deps.box.open(row.sip_password_enc),
      realm: account.realm,
      conferencePasscode: open(row.conference_passcode_enc),
      ...(row.kind === 'conference' ? { moderatorPin: open(row.conference_moderator_pin_enc) } : {}),
    };
  }

  /** The extension asked for, when nothing else in the account has it; otherwise the lowest free one. */
  private async freeOrCheckedExtension(db: Database, accountId: string, wanted: string | undefined): Promise<string> {
    // Extensions span two tables (subaccounts, hunt groups): changes to them in one account take turns.
    await lockAccount(db, accountId);
    const others = await this.deps.targets.otherExtensions(db, accountId);
    if (wanted === undefined) return repo.freeExtension(db, accountId, [...others.keys()]);
    const holder = others.get(wanted);
    if (holder) throw new Conflict('extension', `extension ${wanted} is already in use by ${holder}`);
    return wanted;
  }

  /** Callers entering the PIN join as moderators: it cannot be the passcode everybody has. */
  private checkModeratorPin(before: SubaccountRow, input: UpdateSubaccount): void {
    const open = (sealed: string | null) => (sealed ? this.deps.box.open(sealed) : null);
    const passcode = input.conferencePasscode ?? open(before.conference_passcode_enc);
    const pin = input.moderatorPin === undefined ? open(before.conference_moderator_pin_enc) : input.moderatorPin;
    if (pin !== null && pin === passcode) {
      const field = input.moderatorPin === undefined ? 'conferencePasscode' : 'moderatorPin';
      throw new InvalidField(field, 'the moderator PIN must differ from the conference passcode');
    }
  }

  private callerIdNumber(value: string | null | undefined, account: AccountRow): string | null {
    if (value === null || value === undefined) return null;
    const e164 = toE164(value, account.country);
    if (!e164) throw new InvalidField('callerIdNumber', `not a valid phone number for ${account.country} or in +E.164 form`);
    return e164;
  }
}

