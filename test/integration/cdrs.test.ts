// The call list through the API: newest first, filters, and a `user` seeing
// only the calls of its own subaccount (including conferences it joined).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(() => plane.stop());

describe('call detail records', () => {
  it('lists the account’s calls newest first, filtered by subaccount, direction and time; a user sees only its own', async () => {
    const acct = await customerAccount(plane, 'Calls Co');
    const sub = async (name: string) => (await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name })).body.id as string;
    const [alice, bob] = [await sub('Alice'), await sub('Bob')];
    const cdr = (n: number, subaccountId: string, direction: 'outgoing' | 'incoming', startedAt: string) => ({
      call_uuid: `00000000-0000-4000-8000-00000000000${n}`, account_id: acct.id, subaccount_id: subaccountId, direction,
      call_class: 'extension', caller_name: '', caller_number: '101', dialed: '102', callee: '10000002',
      started_at: new Date(startedAt), answered_at: new Date(startedAt), ended_at: new Date(new Date(startedAt).getTime() + 65_000),
      billable_seconds: 65, hangup_cause: 'NORMAL_CLEARING', hunt_group_id: null, ivr_menu_id: null, conference_subaccount_id: null, trunk_id: null, did: null,
    });
    await plane.db.insertInto('cdrs').values([
      cdr(1, alice, 'outgoing', '2026-11-01T09:00:00Z'),
      cdr(2, bob, 'incoming', '2026-11-02T09:00:00Z'),
      cdr(3, alice, 'incoming', '2026-11-03T09:00:00Z'),
    ]).execute();
    const all = await acct.owner.get(`/accounts/${acct.id}/cdrs`);
    expect(all.body.items.map((c: { callUuid: string }) => c.callUuid.at(-1))).toEqual(['3', '2', '1']);
    expect(all.body.items[0]).toMatchObject({ billableSeconds: 65, hangupCause: 'NORMAL_CLEARING', answeredAt: '2026-11-03T09:00:00.000Z' });
    expect((await acct.owner.get(`/accounts/${acct.id}/cdrs?subaccountId=${alice}&direction=incoming`)).body.total).toBe(1);
    expect((await acct.owner.get(`/accounts/${acct.id}/cdrs?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z`)).body.total).toBe(1);
    expect((await acct.owner.get(`/accounts/${acct.id}/cdrs?from=yesterday`)).body.error.field).toBe('from');
    await acct.owner.post(`/accounts/${acct.id}/users`, { email: 'alice@calls.example', role: 'user', password: 'alice-password-1', subaccountId: alice });
    const asAlice = await plane.as('alice@calls.example', 'alice-password-1');
    const mine = await asAlice.get(`/accounts/${acct.id}/cdrs`);
    expect(mine.body.items.map((c: { subaccountId: string }) => c.subaccountId)).toEqual([alice, alice]);
    expect((await asAlice.get(`/accounts/${acct.id}/cdrs?subaccountId=${bob}`)).body.total).toBe(2);
  });
});
