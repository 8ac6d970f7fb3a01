// SIP identities from the per-process snapshot: a user created after the
// snapshot registers at once, a password changed here is enforced at once (the
// control plane's change hook), one changed by another process at least takes
// the new password at once, and an unknown user is answered — and costs — as a
// wrong password.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DigestAuthenticator } from '../../server/sip/authenticate.js';
import { SipIdentities } from '../../server/sip/identities.js';
import { NonceSigner } from '../../server/sip/nonces.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { until } from '../support/until.js';

let plane: TestPlane;
let realm: string;
let accountId: string;
let owner: Awaited<ReturnType<typeof customerAccount>>['owner'];
let auth: DigestAuthenticator;
let identities: SipIdentities;

beforeAll(async () => {
  plane = await startTestPlane();
  const acct = await customerAccount(plane, 'Snapshot Co');
  ({ realm, owner } = acct);
  accountId = acct.id;
  await addUser('alice', 'Alice-secret-1');
  // a long bound: only local changes and direct reads make anything new visible
  identities = new SipIdentities({ db: plane.db, box: plane.box, maxAgeMs: 3_600_000 });
  auth = new DigestAuthenticator({ db: plane.db, box: plane.box, signer: new NonceSigner(crypto.randomBytes(32), 300), algorithms: ['MD5'], identities });
  // what the control plane does with the SIP edge: every change through this process's features drops the snapshot
  plane.features.directory.onInvalidate(() => identities.invalidate());
  // the snapshot loads in the background on first use
  await until(async () => (identities.cached(realm, 'alice') ? true : undefined));
});
afterAll(() => plane.stop());

async function addUser(sipUser: string, sipPassword: string): Promise<string> {
  const created = await owner.post(`/accounts/${accountId}/subaccounts`, { name: sipUser, sipUser, sipPassword });
  expect(created.status).toBe(201);
  return created.body.id;
}

let nc = 0;
function attempt(user: string, password: string) {
  const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
  const nonce = auth.nonce();
  const uri = `sip:${realm}`;
  const count = (++nc).toString(16).padStart(8, '0');
  const response = md5(`${md5(`${user}:${realm}:${password}`)}:${nonce}:${count}:c0ffee:auth:${md5(`REGISTER:${uri}`)}`);
  const header = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${count}, cnonce="c0ffee"`;
  return auth.authenticate('REGISTER', realm, header);
}

describe('SIP identities snapshot', () => {
  it('authenticates a user the snapshot has without reading the database', async () => {
    const fresh = vi.spyOn(identities, 'fresh');
    expect((await attempt('alice', 'Alice-secret-1')).kind).toBe('ok');
    expect(fresh).not.toHaveBeenCalled();
    fresh.mockRestore();
  });

  it('authenticates a user created after the snapshot at once (read directly on a miss)', async () => {
    await addUser('bob-new', 'Bob-secret-22');
    expect(await attempt('bob-new', 'Bob-secret-22')).toMatchObject({ kind: 'ok' });
  });

  it('answers an unknown user as a wrong password, with the same database read', async () => {
    const fresh = vi.spyOn(identities, 'fresh');
    const wrong = await attempt('alice', 'not-the-password-1');
    const unknown = await attempt('mallory', 'not-the-password-1');
    expect(wrong).toEqual({ kind: 'rejected' });
    expect(unknown).toEqual(wrong);
    expect(fresh.mock.calls).toEqual([[realm, 'alice'], [realm, 'mallory']]);
    fresh.mockRestore();
  });

  it('takes a password changed elsewhere at once, and stops taking the old one when told of the change', async () => {
    const id = await addUser('carol', 'Carol-secret-1');
    expect((await attempt('carol', 'Carol-secret-1')).kind).toBe('ok');
    // another process changes it: this one is not told
    await plane.db.updateTable('subaccounts').set({ sip_password_enc: plane.box.seal('Carol-secret-2') }).where('id', '=', id).execute();
    // the new password is read on the mismatch
    expect((await attempt('carol', 'Carol-secret-2')).kind).toBe('ok');
    identities.invalidate();
    expect(await attempt('carol', 'Carol-secret-1')).toEqual({ kind: 'rejected' });
    expect((await attempt('carol', 'Carol-secret-2')).kind).toBe('ok');
  });

  it("refuses the old password at once after a change through this process's API (the change hook reaches the edge)", async () => {
    const id = await addUser('dave', 'Dave-secret-1');
    expect((await attempt('dave', 'Dave-secret-1')).kind).toBe('ok');
    expect((await owner.patch(`/accounts/${accountId}/subaccounts/${id}`, { sipPassword: 'Dave-secret-2' })).status).toBe(200);
    expect(await attempt('dave', 'Dave-secret-1')).toEqual({ kind: 'rejected' });
  });

  it("stops using a snapshot older than its bound, so another process's change shows within it", async () => {
    let clock = 1_000_000;
    const timed = new SipIdentities({ db: plane.db, box: plane.box, maxAgeMs: 5000, clock: () => clock });
    await until(async () => timed.cached(realm, 'carol'));
    clock += 4_999;
    expect(timed.cached(realm, 'carol')).toBeDefined();
    clock += 1;
    expect(timed.cached(realm, 'carol')).toBeUndefined();
  });

  it("renews a snapshot whose identities did not change, and reloads it when another process changes one (checked from half its age)", async () => {
    let clock = 2_000_000;
    const timed = new SipIdentities({ db: plane.db, box: plane.box, maxAgeMs: 5000, clock: () => clock });
    const erin = await addUser('erin', 'Erin-secret-1');
    const before = await until(async () => timed.cached(realm, 'erin'));
    // half the age, nothing changed: checked, kept, and young again
    clock += 2_500;
    timed.cached(realm, 'erin');
    clock += 2_600;
    expect(await until(async () => timed.cached(realm, 'erin'))).toBe(before);
    // another process changes the password: this one is not told, and the next check sees it
    const sealed = plane.box.seal('Erin-secret-2');
    await plane.db.updateTable('subaccounts').set({ sip_password_enc: sealed }).where('id', '=', erin).execute();
    clock += 2_500;
    timed.cached(realm, 'erin');
    await until(async () => (timed.cached(realm, 'erin')?.identity.passwordEnc === sealed ? true : undefined));
  });

  it('refuses a suspended account at once after the change through this process', async () => {
    expect((await attempt('alice', 'Alice-secret-1')).kind).toBe('ok');
    expect((await plane.operator.patch(`/accounts/${accountId}`, { status: 'suspended' })).status).toBe(200);
    expect(await attempt('alice', 'Alice-secret-1')).toEqual({ kind: 'rejected' });
  });
});
