// The registrar's 30 s sweep on a real database (PGlite, or PostgreSQL with
// DATABASE_URL): expired bindings go, live ones stay; nonce-counts go a whole
// minute at a time once every nonce of that minute has expired (and the clock
// skew between processes has passed), and a count still alive is never lost —
// its replay is refused after any number of sweeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegisterBatcher, registrationRepository } from '../../server/registrations/index.js';
import { deadNonceSlots, NONCE_SLOTS, nonceSlot } from '../../server/registrations/registration.repository.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
let accountId: string;
let subaccountId: string;
let batcher: RegisterBatcher;

beforeAll(async () => {
  plane = await startTestPlane();
  const acct = await customerAccount(plane, 'Sweep Co');
  accountId = acct.id;
  const created = await acct.owner.post(`/accounts/${accountId}/subaccounts`, { name: 'Desk', sipUser: 'desk-1', sipPassword: 'Secret-pass-1' });
  expect(created.status).toBe(201);
  subaccountId = created.body.id;
  batcher = new RegisterBatcher(plane.db);
});
afterAll(() => plane.stop());

const MINUTE = 60_000;
const accept = (nonce: string, nc: number, expiresAt: Date) => registrationRepository.acceptNonceCount(plane.db, nonce, nc, expiresAt);

describe('the sweep of expired bindings', () => {
  it('removes a binding once it has expired and keeps the live one', async () => {
    const at = new Date();
    const bind = (contact: string, expiresSeconds: number) =>
      batcher.register({
        who: { subaccountId, accountId },
        uri: contact,
        expiresSeconds,
        regId: null,
        deviceId: null,
        source: { address: '198.51.100.7', port: 5060, transport: 'udp', userAgent: 'Desk', callId: contact, cseq: 1 },
        at,
      });
    await bind('sip:short@198.51.100.7:5060', 60);
    await bind('sip:long@198.51.100.7:5062', 3600);
    const later = new Date(at.getTime() + 2 * MINUTE);
    expect(await registrationRepository.sweepExpired(plane.db, later)).toBe(1);
    const left = await plane.db.selectFrom('registrations').select('contact').where('subaccount_id', '=', subaccountId).execute();
    expect(left.map((r) => r.contact)).toEqual(['sip:long@198.51.100.7:5062']);
  });
});

describe('the sweep of nonce-counts', () => {
  it('forgets the counts of a minute whose nonces all expired more than a minute ago', async () => {
    const now = new Date();
    const expired = new Date(now.getTime() - 3 * MINUTE);
    expect(await accept('old-nonce', 1, expired)).toBe(true);
    expect(await accept('old-nonce', 1, expired)).toBe(false);
    await registrationRepository.sweepExpired(plane.db, now);
    // the row is gone: the same count is new again (the signer refuses such a nonce as stale long before)
    expect(await accept('old-nonce', 1, expired)).toBe(true);
  });

  it('keeps every count whose nonce is alive, or expired less than the clock skew ago, through repeated sweeps', async () => {
    const now = new Date();
    const nonces = [
      ['just-expired', new Date(now.getTime() - 30_000)],
      ['expiring-soon', new Date(now.getTime() + 10_000)],
      ['fresh', new Date(now.getTime() + 300_000)],
      ['longest-lifetime', new Date(now.getTime() + 600_000)],
    ] as const;
    for (const [nonce, expiresAt] of nonces) expect(await accept(nonce, 1, expiresAt)).toBe(true);
    for (const sweepAt of [0, 5_000, 30_000]) await registrationRepository.sweepExpired(plane.db, new Date(now.getTime() + sweepAt));
    for (const [nonce, expiresAt] of nonces) {
      expect(await accept(nonce, 1, expiresAt), `${nonce} replayed`).toBe(false);
      expect(await accept(nonce, 2, expiresAt), `${nonce} next count`).toBe(true);
    }
  });

  it('empties only slots that hold no live nonce and will get none within the longest lifetime', () => {
    for (let offset = 0; offset < NONCE_SLOTS * MINUTE; offset += 7_919) {
      const now = new Date(Date.UTC(2026, 10, 23, 20, 0, 0) + offset);
      const dead = deadNonceSlots(now);
      expect(dead).toHaveLength(3);
      for (let ahead = -60_000; ahead <= 660_000; ahead += 5_000) {
        expect(dead).not.toContain(nonceSlot(new Date(now.getTime() + ahead)));
      }
    }
  });
});
