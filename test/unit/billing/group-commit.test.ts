// GroupCommit, the natural batching of call authorization: a request that
// finds the database idle leaves at once, alone; requests arriving while a
// batch runs leave together when it answers; each gets its own result; a
// failed batch fails every request in it (none hangs) and the next batch runs.
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../server/billing/group-commit.js';

/** A database whose batches answer when the test says; records what was sent. */
function harness(maxInFlight = 1) {
  const sent: number[][] = [];
  const pending: { answer: () => void; fail: (error: Error) => void }[] = [];
  const batches = new GroupCommit<number, string>(
    (requests) =>
      new Promise((resolve, reject) => {
        sent.push(requests);
        pending.push({ answer: () => resolve(requests.map((r) => `answer ${r}`)), fail: reject });
      }),
    { maxInFlight },
  );
  return { batches, sent, next: () => pending.shift()! };
}

describe('GroupCommit', () => {
  it('sends a request at once when no batch is at the database', () => {
    const h = harness();
    void h.batches.submit(1);
    // synchronously: no timer, no tick waited for
    expect(h.sent).toEqual([[1]]);
  });

  it('sends what arrived during a batch as the next batch, and answers each its own result', async () => {
    const h = harness();
    const first = h.batches.submit(1);
    const waiting = [h.batches.submit(2), h.batches.submit(3), h.batches.submit(4)];
    expect(h.sent).toEqual([[1]]);
    h.next().answer();
    expect(await first).toBe('answer 1');
    await until(() => h.sent.length === 2);
    expect(h.sent[1]).toEqual([2, 3, 4]);
    h.next().answer();
    expect(await Promise.all(waiting)).toEqual(['answer 2', 'answer 3', 'answer 4']);
  });

  it('lets the callers just answered join the next batch instead of leaving one by one', async () => {
    const h = harness();
    const ask = async (n: number) => `${await h.batches.submit(n)} then ${await h.batches.submit(n + 10)}`;
    const all = Promise.all([ask(1), ask(2), ask(3)]);
    expect(h.sent).toEqual([[1]]);
    h.next().answer();
    await until(() => h.sent.length === 2);
    expect(h.sent[1]).toEqual([2, 3, 11]);
    h.next().answer();
    await until(() => h.sent.length === 3);
    expect(h.sent[2]).toEqual([12, 13]);
    h.next().answer();
    expect(await all).toEqual(['answer 1 then answer 11', 'answer 2 then answer 12', 'answer 3 then answer 13']);
  });

  it('fails every request of a failed batch with its error, and sends the next batch', async () => {
    const h = harness();
    const first = h.batches.submit(1);
    const second = [h.batches.submit(2), h.batches.submit(3)];
    h.next().answer();
    await first;
    await until(() => h.sent.length === 2);
    h.next().fail(new Error('connection lost'));
    const outcomes = await Promise.allSettled(second);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: new Error('connection lost') },
      { status: 'rejected', reason: new Error('connection lost') },
    ]);
    const after = h.batches.submit(4);
    await until(() => h.sent.length === 3);
    h.next().answer();
    expect(await after).toBe('answer 4');
  });

  it('shares what is outstanding between the batches allowed in flight', async () => {
    const h = harness(2);
    const all = [1, 2, 3, 4, 5, 6].map((n) => h.batches.submit(n));
    // the first two leave at once, one per free slot; the rest wait for a slot
    expect(h.sent).toEqual([[1], [2]]);
    h.next().answer();
    await until(() => h.sent.length === 3);
    // five outstanding (four queued, one in flight) over two slots: three
    expect(h.sent[2]).toEqual([3, 4, 5]);
    h.next().answer();
    await until(() => h.sent.length === 4);
    expect(h.sent[3]).toEqual([6]);
    h.next().answer();
    h.next().answer();
    expect(await Promise.all(all)).toHaveLength(6);
  });
});

/** Lets queued callbacks (promise continuations, setImmediate) run until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}
