// Carrier trunks, managed by the operator. The edge reads them through
// TrunkDirectory (a per-process cache refreshed every few seconds).
import { type AddressList, addressList } from '../addresses.js';
import { type Caller, recordAudit } from '../accounts/index.js';
import type { CarrierTrunkRow, Database } from '../db/index.js';
import { translatingConstraints } from '../db/index.js';
import { Forbidden, InvalidField, NotFound } from '../errors.js';
import type { SecretBox } from '../secrets.js';
import { type CreateTrunk, type Trunk, type UpdateTrunk, toTrunk } from './trunk.schemas.js';

export class Trunks {
  constructor(private readonly deps: { db: Database; box: SecretBox }) {}

  async list(caller: Caller): Promise<{ items: Trunk[] }> {
    this.operatorOnly(caller);
    const rows = await this.deps.db.selectFrom('carrier_trunks').selectAll().orderBy('name').execute();
    return { items: rows.map(toTrunk) };
  }

  async create(caller: Caller, input: CreateTrunk): Promise<Trunk> {
    this.operatorOnly(caller);
    return this.deps.db.transaction().execute(async (trx) => {
      if (input.accountId) {
        const account = await trx.selectFrom('accounts').select('kind').where('id', '=', input.accountId).executeTakeFirst();
        if (account?.kind !== 'account') throw new InvalidField('accountId', 'no such customer account');
      }
      const row = await translatingConstraints(() =>
        trx.insertInto('carrier_trunks').values({ ...this.columns(input), account_id: input.accountId, name: input.name }).returningAll().executeTakeFirstOrThrow(),
      );
      const created = toTrunk(row);
      await recordAudit(trx, caller, { accountId: row.account_id, entity: 'trunk', entityId: row.id, action: 'create', after: created });
      return created;
    });
  }

  async update(caller: Caller, id: string, input: UpdateTrunk): Promise<Trunk> {
    this.operatorOnly(caller);
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await this.row(trx, id);
      const row = await translatingConstraints(() =>
        trx.updateTable('carrier_trunks').set({ ...this.columns(input), updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
      );
      const after = toTrunk(row);
      await recordAudit(trx, caller, { accountId: row.account_id, entity: 'trunk', entityId: id, action: 'update', before: toTrunk(before), after });
      return after;
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    this.operatorOnly(caller);
    await this.deps.db.transaction().execute(async (trx) => {
      const before = await this.row(trx, id);
      await trx.deleteFrom('carrier_trunks').where('id', '=', id).execute();
      await recordAudit(trx, caller, { accountId: before.account_id, entity: 'trunk', entityId: id, action: 'delete', before: toTrunk(before) });
    });
  }

  private columns(input: UpdateTrunk) {
    const out = input.outbound;
    return {
      name: input.name,
      inbound_addresses: input.inboundAddresses,
      ...(out === undefined
        ? {}
        : {
            outbound_host: out?.host ?? null,
            outbound_port: out?.port ?? 5060,
            outbound_transport: out?.transport ?? 'udp',
            username: out?.username ?? null,
            password_enc: out?.password ? this.deps.box.seal(out.password) : null,
          }),
      register: input.register,
      enabled: input.enabled,
    };
  }

  private async row(db: Database, id: string): Promise<CarrierTrunkRow> {
    const row = await db.selectFrom('carrier_trunks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFound('trunk');
    return row;
  }

  private operatorOnly(caller: Caller): void {
    if (caller.role !== 'operator') throw new Forbidden('only the operator manages carrier trunks');
  }
}

export interface TrunkRoute {
  id: string;
  accountId: string | null;
  outbound: { hostport: string; transport: string; username: string | null; password: string | null; register: boolean } | null;
}

/** What the edge needs of trunks, cached per process and refreshed every few seconds. */
export class TrunkDirectory {
  private byAddress: { list: AddressList; trunk: TrunkRoute }[] = [];
  private byId = new Map<string, TrunkRoute>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { db: Database; box: SecretBox }) {}

  async start(refreshMs = 5000): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The enabled trunk whose inbound addresses include `address`. */
  fromAddress(address: string): TrunkRoute | undefined {
    return this.byAddress.find((t) => t.list.has(address))?.trunk;
  }

  get(id: string): TrunkRoute | undefined {
    return this.byId.get(id);
  }

  /** The trunk an account's calls leave by: its own outbound trunk, else a shared one (no account). */
  outboundFor(accountId: string): TrunkRoute | undefined {
    const outbound = [...this.byId.values()].filter((t) => t.outbound);
    return outbound.find((t) => t.accountId === accountId) ?? outbound.find((t) => t.accountId === null);
  }

  /** Trunks that register with their carrier. */
  registering(): string[] {
    return [...this.byId.values()].filter((t) => t.outbound?.register).map((t) => t.id);
  }

  async refresh(): Promise<void> {
    const rows = await this.deps.db.selectFrom('carrier_trunks').selectAll().where('enabled', '=', true).orderBy('name').execute();
    const routes = rows.map((r) => ({ row: r, route: this.route(r) }));
    this.byId = new Map(routes.map((r) => [r.route.id, r.route]));
    this.byAddress = routes.map(({ row, route }) => ({ list: addressList(row.inbound_addresses), trunk: route }));
  }

  private route(row: CarrierTrunkRow): TrunkRoute {
    return {
      id: row.id,
      accountId: row.account_id,
      outbound: row.outbound_host
        ? {
            hostport: `${row.outbound_host}:${row.outbound_port}`,
            transport: row.outbound_transport,
            username: row.username,
            password: row.password_enc ? this.deps.box.open(row.password_enc) : null,
            register: row.register,
          }
        : null,
    };
  }
}
