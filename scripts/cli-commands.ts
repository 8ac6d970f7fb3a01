// The operator CLI's commands. Each one validates its flags with the API's own
// zod schemas before any database is opened, then calls a feature service as
// the operator and says what it did. The only secrets printed are one-time
// generated passwords and a new subaccount's SIP credentials.
import type { ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import {
  type Caller,
  accountSchemas,
  auditOf,
  deviceSchemas,
  numberSchemas,
  reachAccount,
  subaccountSchemas,
  userRepository,
  userSchemas,
} from '../server/accounts/index.js';
import type { OpenedFeatures } from '../server/control-plane.js';
import type { Database } from '../server/db/index.js';
import { InvalidField } from '../server/errors.js';
import { pageQuery } from '../server/paging.js';
import { randomPassword } from '../server/secrets.js';

export type Flags = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Session {
  caller: Caller;
  db: Database;
  features: OpenedFeatures['features'];
}

/** What a command did: `json` for `--json`, `text` for people. */
export interface Outcome {
  json: unknown;
  text: string;
}

export interface Command {
  synopsis: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Validates the flags (throwing before any database is opened) and returns the work. */
  prepare(flags: Flags): (session: Session) => Promise<Outcome>;
}

const SHOWN_ONCE = '(generated; shown only this once)';
const string = { type: 'string' } as const;

const text = (flags: Flags, name: string): string | undefined => {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
};
const texts = (flags: Flags, name: string): string[] => {
  const value = flags[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

/** `--account ID`, checked as the API checks its path parameter. */
const accountFlag = z.object({ account: accountSchemas.account.shape.id });

export const COMMANDS: Record<string, Command> = {
  'create-account': accountCommand(),
  'create-reseller': accountCommand('reseller'),
  'create-operator': {
    synopsis: '--email E [--password P]',
    summary: 'another operator login in the operator account',
    options: { email: string, password: string },
    prepare(flags) {
      const input = userSchemas.createUser.parse({ email: text(flags, 'email'), password: text(flags, 'password'), role: 'operator' });
      return async ({ caller, features }) => {
        const created = await features.users.create(caller, caller.accountId, input);
        const password = 'password' in created ? created.password : undefined;
        const title = `created operator login ${created.email}`;
        return { json: created, text: fields(title, [['id', created.id], ['password', password && `${password}  ${SHOWN_ONCE}`]]) };
      };
    },
  },
  'reset-password': {
    synopsis: '--email E [--password P]',
    summary: 'set a new password on any login and end its sessions (refresh tokens)',
    options: { email: string, password: string },
    prepare(flags) {
      const input = userSchemas.createUser
        .pick({ email: true, password: true })
        .parse({ email: text(flags, 'email'), password: text(flags, 'password') });
      return async ({ caller, db, features }) => {
        const user = await userRepository.userByEmail(db, input.email);
        if (!user) throw new InvalidField('email', 'no login has this email');
        const password = input.password ?? randomPassword(16);
        // Users.update revokes the login's refresh tokens in the same transaction (userRepository.revokeUserTokens)
        await features.users.update(caller, user.account_id, user.id, { password });
        const generated = input.password === undefined ? password : undefined;
        const title = `reset the password of ${user.email}; its refresh tokens are revoked`;
        return {
          json: { id: user.id, email: user.email, accountId: user.account_id, ...(generated ? { password: generated } : {}) },
          text: fields(title, [['password', generated && `${generated}  ${SHOWN_ONCE}`]]),
        };
      };
    },
  },
  'list-accounts': {
    synopsis: '[--q TEXT] [--limit N]',
    summary: 'accounts whose name or realm contains TEXT (all when absent)',
    options: { q: string, limit: string },
    prepare(flags) {
      const filter = accountSchemas.accountFilter.parse({ q: text(flags, 'q'), limit: text(flags, 'limit') });
      return async ({ caller, features }) => {
        const page = await features.accounts.list(caller, filter);
        const rows = page.items.map((a) => [a.id, a.kind, a.name, a.realm, a.timezone]);
        const more = page.total > page.items.length ? `\n${page.items.length} of ${page.total} accounts; narrow with --q or raise --limit` : '';
        return { json: page, text: table(['id', 'kind', 'name', 'realm', 'timezone'], rows) + more };
      };
    },
  },
  'create-subaccount': {
    synopsis: '--account ID --name N [--extension X] [--kind phone|conference] [--sip-user U] [--cost-centre C]',
    summary: 'a SIP identity in a customer account; prints its SIP credentials',
    options: { account: string, name: string, extension: string, kind: string, 'sip-user': string, 'cost-centre': string },
    prepare(flags) {
      const { account } = accountFlag.parse({ account: text(flags, 'account') });
      const input = subaccountSchemas.createSubaccount.parse({
        name: text(flags, 'name'),
        extension: text(flags, 'extension'),
        kind: text(flags, 'kind'),
        sipUser: text(flags, 'sip-user'),
        costCentre: text(flags, 'cost-centre'),
      });
      return async ({ caller, features }) => {
        const created = await features.subaccounts.create(caller, account, input);
        const { credentials } = created;
        return {
          json: created,
          text: fields(`created subaccount "${created.name}" (${created.kind})`, [
            ['id', created.id],
            ['extension', created.extension],
            ['network number', created.networkNumber],
            ['SIP user', credentials.sipUser],
            ['realm', credentials.realm],
            ['SIP password', credentials.sipPassword],
            ['passcode', credentials.conferencePasscode],
          ]),
        };
      };
    },
  },
  'create-device': {
    synopsis: '--account ID --mac M --vendor V --model M [--label L] [--line N:SUBACCOUNT_ID[:noring]]…',
    summary: `a phone or ATA by MAC (vendors: ${deviceSchemas.VENDORS.join(', ')}); --line repeats`,
    options: { account: string, mac: string, vendor: string, model: string, label: string, line: { type: 'string', multiple: true } },
    prepare(flags) {
      const { account } = accountFlag.parse({ account: text(flags, 'account') });
      const input = deviceSchemas.createDevice.parse({
        mac: text(flags, 'mac'),
        vendor: text(flags, 'vendor'),
        model: text(flags, 'model'),
        label: text(flags, 'label'),
        lines: texts(flags, 'line').map(lineOf),
      });
      return async ({ caller, features }) => {
        const created = await features.devices.create(caller, account, input);
        const lines = await Promise.all(
          created.lines.map(async (l) => {
            const sub = await features.subaccounts.get(caller, account, l.subaccountId);
            return [String(l.lineNo), sub.extension, sub.name, l.subaccountId, l.ring ? 'rings' : 'does not ring'];
          }),
        );
        const head = fields(`created device ${macOf(created.mac)} (${created.vendor} ${created.model})`, [
          ['id', created.id],
          ['label', created.label],
        ]);
        const body = lines.length ? table(['line', 'extension', 'subaccount', 'subaccount id', 'ring'], lines) : 'no lines';
        return { json: created, text: `${head}\n${body}` };
      };
    },
  },
  'create-number': {
    synopsis: '--account ID --number NUM [--to SUBACCOUNT_ID] [--label L]',
    summary: 'assign a phone number (E.164, or national in the account’s country), ringing a subaccount',
    options: { account: string, number: string, to: string, label: string },
    prepare(flags) {
      const { account } = accountFlag.parse({ account: text(flags, 'account') });
      const to = text(flags, 'to');
      const input = numberSchemas.createNumber.parse({
        number: text(flags, 'number'),
        label: text(flags, 'label'),
        destination: to === undefined ? null : { kind: 'subaccount', id: to },
      });
      return async ({ caller, features }) => {
        const created = await features.numbers.create(caller, account, input);
        const d = created.destination;
        const rings = d ? `${d.kind.replace('_', ' ')} ${d.kind === 'number' ? d.e164 : d.id}` : 'nowhere yet';
        return { json: created, text: fields(`created number ${created.e164}`, [['id', created.id], ['label', created.label], ['rings', rings]]) };
      };
    },
  },
  audit: {
    synopsis: '--account ID [--limit N]',
    summary: 'who changed what in an account, newest first',
    options: { account: string, limit: string },
    prepare(flags) {
      const { account, limit } = accountFlag
        .extend(pageQuery.pick({ limit: true }).shape)
        .parse({ account: text(flags, 'account'), limit: text(flags, 'limit') });
      return async ({ caller, db }) => {
        await reachAccount(db, caller, account, 'manage');
        const page = await auditOf(db, account, { limit, offset: 0 });
        const rows = page.items.map((r) => [r.at, r.actor, r.action, `${r.entity} ${r.entityId}`]);
        return { json: page, text: rows.length ? table(['time', 'actor', 'action', 'entity'], rows) : 'no changes recorded' };
      };
    },
  },
};

function accountCommand(kind?: 'reseller'): Command {
  return {
    synopsis: `--name N${kind ? '' : ' [--kind account|reseller]'} [--parent ID] [--realm R] [--timezone TZ] [--country CC] [--owner-email E] [--owner-password P]`,
    summary: kind
      ? 'a reseller account (create-account --kind reseller)'
      : 'a customer account (or reseller) under the operator or --parent, with an optional owner login',
    options: {
      name: string,
      ...(kind ? {} : { kind: string }),
      parent: string,
      realm: string,
      timezone: string,
      country: string,
      'owner-email': string,
      'owner-password': string,
    },
    prepare(flags) {
      const email = text(flags, 'owner-email');
      const password = text(flags, 'owner-password');
      const input = accountSchemas.createAccount.parse({
        name: text(flags, 'name'),
        kind: kind ?? text(flags, 'kind'),
        parentId: text(flags, 'parent'),
        realm: text(flags, 'realm'),
        timezone: text(flags, 'timezone'),
        country: text(flags, 'country'),
        owner: email === undefined && password === undefined ? undefined : { email, password },
      });
      return async ({ caller, features }) => {
        const created = await features.accounts.create(caller, input);
        const owner = 'owner' in created ? created.owner : undefined;
        return {
          json: created,
          text: fields(`created ${created.kind} "${created.name}"`, [
            ['id', created.id],
            ['realm', created.realm],
            ['timezone', created.timezone],
            ['country', created.country],
            ['owner', owner?.email],
            ['password', owner?.password && `${owner.password}  ${SHOWN_ONCE}`],
          ]),
        };
      };
    },
  };
}

/** `--line 2:<subaccount id>:noring` → a device line. */
function lineOf(value: string, index: number): deviceSchemas.Line {
  const match = /^(\d{1,2}):([^:]+)(:noring)?$/.exec(value);
  if (!match) throw new InvalidField(`lines.${index}`, `"${value}" is not N:SUBACCOUNT_ID or N:SUBACCOUNT_ID:noring`);
  return { lineNo: Number(match[1]), subaccountId: match[2] ?? '', ring: match[3] === undefined };
}

const macOf = (hex: string) => hex.match(/../g)?.join(':') ?? hex;

/** A title and indented `label  value` lines; empty values are left out. */
function fields(title: string, pairs: [string, string | null | undefined][]): string {
  const shown = pairs.filter((p): p is [string, string] => typeof p[1] === 'string' && p[1] !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return [title, ...shown.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
