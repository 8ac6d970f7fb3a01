// The registrar's batch statement on a real database (PGlite, or PostgreSQL with
// DATABASE_URL): REGISTERs that arrive while one statement is in flight go
// together as one, each with its own answer — a replayed nonce-count refused
// alone, two REGISTERs of one user seeing each other, a bad request failing alone
// (found by halving the batch), slow and failed statements reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OneContactRegister, RegisterBatcher, registrationRepository } from '../../server/registrations/index.js';
import { registerBatch } from '../../server/registrations/register-batch.repository.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
let accountId: string;
const users: string[] = [];
const sizes: number[] = [];
const batches: OneContactRegister[][] = [];
let batcher: RegisterBatcher;

beforeAll(async () => {
  plane = await startTestPlane();
  const acct = await customerAccount(plane, 'Batch Co');
  accountId = acct.id;
  for (const n of [1, 2, 3, 4, 5, 6]) {
    const created = await acct.owner.post(`/accounts/${accountId}/subaccounts`, { name: `U${n}`, sipUser: `user-${n}`, sipPassword: `Secret-pass-${n}` });
    expect(created.status).toBe(201);
    users.push(created.body.id);
  }
  batcher = new RegisterBatcher(plane.db, { write: (db, requests) => (sizes.push(requests.length), batches.push([...requests]), registerBatch(db, requests)) });
});
afterAll(() => plane.stop());

let seq = 0;
function request(user: number, contact: string, extra: Partial<OneContactRegister> = {}): OneContactRegister {
  seq += 1;
  const at = new Date();
  return {
    who: { subaccountId: users[user]!, accountId },
    uri: `sip:u${user}@${contact}`,
    expiresSeconds: 600,
    regId: null,
    deviceId: null,
    source: { address: '203.0.113.9', port: 5060 + user, transport: 'udp', userAgent: 'Phone "A", {b}\\c', callId: `c-${seq}`, cseq: seq },
    at,
    nonceCount: { nonce: `nonce-${seq}`, nc: 1, expiresAt: new Date(at.getTime() + 300_000) },
    ...extra,
  };
}

const contacts = (answer: Awaited<ReturnType<RegisterBatcher['register']>>) => (answer.kind === 'stored' ? answer.bindings.map((b) => b.contact) : answer.kind);

describe('register batches', () => {
  it('sends the first REGISTER at once and the ones that arrived meanwhile as one statement, each with its answer', async () => {
    sizes.length = 0;
    const answers = await Promise.all([0, 1, 2, 3].map((u) => batcher.register(request(u, '10.0.0.1:5060'))));
    expect(sizes).toEqual([1, 3]);
    expect(answers.map(contacts)).toEqual([0, 1, 2, 3].map((u) => [`sip:u${u}@10.0.0.1:5060`]));
    const stored = await registrationRepository.currentBindings(plane.db, users[2]!, new Date());
    expect(stored).toEqual([expect.objectContaining({ contact: 'sip:u2@10.0.0.1:5060', user_agent: 'Phone "A", {b}\\c', source_port: 5062 })]);
  });

  it('refuses a replayed nonce-count inside a batch and writes nothing for it, the others stored', async () => {
    const used = request(4, '10.0.0.4:5060');
    await batcher.register(used);
    const [first, replay, other] = await Promise.all([
      batcher.register(request(0, '10.0.0.9:5060')),
      batcher.register(request(4, '10.0.0.5:5060', { nonceCount: used.nonceCount })),
      batcher.register(request(5, '10.0.0.6:5060')),
    ]);
    // the replay went in one statement with the other two
    expect(batches.find((b) => b.some((r) => r.nonceCount?.nonce === used.nonceCount!.nonce && r.uri.includes('10.0.0.5')))).toHaveLength(3);
    expect(replay).toEqual({ kind: 'refused' });
    expect(contacts(first)).toEqual(['sip:u0@10.0.0.1:5060', 'sip:u0@10.0.0.9:5060']);
    expect(contacts(other)).toEqual(['sip:u5@10.0.0.6:5060']);
    expect((await registrationRepository.currentBindings(plane.db, users[4]!, new Date())).map((b) => b.contact)).toEqual(['sip:u4@10.0.0.4:5060']);
  });

  it('accepts a higher nonce-count of the same nonce, and refuses the same count twice, in order', async () => {
    const base = request(3, '10.0.0.3:5061');
    const answers = await Promise.all([
      batcher.register(request(1, '10.0.0.2:5060')),
      batcher.register(base),
      batcher.register({ ...base, nonceCount: { ...base.nonceCount!, nc: 2 } }),
      batcher.register({ ...base, nonceCount: { ...base.nonceCount!, nc: 2 } }),
    ]);
    expect(answers.map((a) => a.kind)).toEqual(['stored', 'stored', 'stored', 'refused']);
  });

  it('lets two REGISTERs of one user in a burst see each other, as one after the other would', async () => {
    sizes.length = 0;
    const [, second, removal] = await Promise.all([
      batcher.register(request(5, '10.0.0.7:5060')),
      batcher.register(request(5, '10.0.0.8:5060')),
      batcher.register(request(5, '10.0.0.6:5060', { expiresSeconds: 0 })),
    ]);
    expect(sizes).toEqual([1, 1, 1]);
    expect(contacts(second)).toEqual(['sip:u5@10.0.0.6:5060', 'sip:u5@10.0.0.7:5060', 'sip:u5@10.0.0.8:5060']);
    expect(contacts(removal)).toEqual(['sip:u5@10.0.0.7:5060', 'sip:u5@10.0.0.8:5060']);
  });

  it('answers a removal of the last binding with no bindings, not as a refusal', async () => {
    const answer = await batcher.register(request(4, '10.0.0.4:5060', { expiresSeconds: 0 }));
    expect(answer).toEqual({ kind: 'stored', bindings: [] });
  });

  it('fails a bad request alone when its batch fails: the others are stored', async () => {
    sizes.length = 0;
    const results = await Promise.allSettled([
      batcher.register(request(0, '10.0.1.1:5060')),
      batcher.register(request(1, '10.0.1.1:5060', { deviceId: '00000000-0000-4000-8000-000000000000' })),
      batcher.register(request(2, '10.0.1.1:5060')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sizes).toEqual([1, 2, 1, 1]);
    expect(contacts((results[2] as PromiseFulfilledResult<Awaited<ReturnType<RegisterBatcher['register']>>>).value)).toContain('sip:u2@10.0.1.1:5060');
  });

  it('finds a bad request in a full batch in a few statements, not one per request, and stores the rest', async () => {
    for (let n = users.length; n < 17; n += 1) {
      const created = await plane.operator.post(`/accounts/${accountId}/subaccounts`, { name: `B${n}`, sipUser: `bulk-${n}`, sipPassword: `Secret-pass-${n}` });
      expect(created.status).toBe(201);
      users.push(created.body.id);
    }
    sizes.length = 0;
    const bad = { deviceId: '00000000-0000-4000-8000-000000000000' };
    const results = await Promise.allSettled(users.map((_, u) => batcher.register(request(u, '10.0.2.1:5060', u === 5 ? bad : {}))));
    expect(results.map((r) => r.status === 'fulfilled')).toEqual(users.map((_, u) => u !== 5));
    // the first alone, 16 together; then halves down to the bad one: 8+8, 4+4, 2+2, 1+1 — not 16 single retries
    // (a batch is in subaccount order, so where the bad one sits, and the order of the halves, varies)
    expect(sizes[0]).toBe(1);
    expect(sizes.slice(1).sort((a, b) => b - a)).toEqual([16, 8, 8, 4, 4, 2, 2, 1, 1]);
    const stored = await registrationRepository.currentBindings(plane.db, users[16]!, new Date());
    expect(stored.map((b) => b.contact)).toContain('sip:u16@10.0.2.1:5060');
  });

  it('paced: a lone REGISTER goes at once; under load one statement per interval carries every REGISTER of the interval', async () => {
    const sent: { at: number; size: number }[] = [];
    const paced = new RegisterBatcher(plane.db, { minIntervalMs: 100, write: (db, requests) => (sent.push({ at: performance.now(), size: requests.length }), registerBatch(db, requests)) });
    const started = performance.now();
    const first = paced.register(request(0, '10.0.4.1:5060'));
    const rest = [1, 2, 3].map((u) => paced.register(request(u, '10.0.4.1:5060')));
    const answers = await Promise.all([first, ...rest]);
    expect(sent.map((s) => s.size)).toEqual([1, 3]);
    expect(sent[0]!.at - started).toBeLessThan(50);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(95);
    expect(answers.map((a, u) => contacts(a).includes(`sip:u${u}@10.0.4.1:5060`))).toEqual([true, true, true, true]);
  });

  it('paced: a REGISTER a conflict held back goes in the next statement without waiting for the interval', async () => {
    const sent: { at: number; size: number }[] = [];
    const paced = new RegisterBatcher(plane.db, { minIntervalMs: 300, write: (db, requests) => (sent.push({ at: performance.now(), size: requests.length }), registerBatch(db, requests)) });
    const answers = await Promise.all([
      paced.register(request(0, '10.0.5.1:5060')),
      paced.register(request(1, '10.0.5.1:5060')),
      paced.register(request(1, '10.0.5.2:5060')),
      paced.register(request(2, '10.0.5.1:5060')),
    ]);
    // alone at once; after the interval the two users that do not conflict; the second REGISTER of user 1 at once after them
    expect(sent.map((s) => s.size)).toEqual([1, 2, 1]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(290);
    expect(sent[2]!.at - sent[1]!.at).toBeLessThan(150);
    expect(contacts(answers[2])).toEqual(expect.arrayContaining(['sip:u1@10.0.5.1:5060', 'sip:u1@10.0.5.2:5060']));
  });

  it('tells about a failed batch (before it is split) and about statements slower than the threshold', async () => {
    const told: string[] = [];
    const watched = new RegisterBatcher(plane.db, {
      watch: { slowMs: 0, onSlow: (_ms, n) => told.push(`slow ${n}`), onFailed: (_e, n) => told.push(`failed ${n}`) },
    });
    const bad = { deviceId: '00000000-0000-4000-8000-000000000000' };
    await Promise.allSettled([watched.register(request(0, '10.0.3.1:5060')), watched.register(request(1, '10.0.3.1:5060', bad)), watched.register(request(2, '10.0.3.1:5060'))]);
    expect(told).toEqual(['slow 1', 'slow 2', 'failed 2', 'slow 1', 'slow 1']);
  });
});
