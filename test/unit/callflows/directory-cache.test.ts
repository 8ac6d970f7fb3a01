// DirectoryCache: one rebuild for many waiting callers, rebuilt after the TTL
// (in the background, serving the old one meanwhile) or an invalidation (which
// waits for the new one), and a failed rebuild reported to a caller waiting for it.
import { describe, expect, it } from 'vitest';
import { DirectoryCache } from '../../../server/callflows/index.js';
import { Directory } from '../../../server/routing/index.js';
import { until } from '../../support/until.js';

const empty = () => new Directory({ accounts: [], subaccounts: [], numbers: [], huntGroups: [], ivrMenus: [], schedules: [] });

function harness(ttlSeconds = 10) {
  let clock = 0;
  let loads = 0;
  let fail = false;
  const pending: (() => void)[] = [];
  let gated = false;
  const cache = new DirectoryCache(
    async () => {
      loads += 1;
      if (gated) await new Promise<void>((resolve) => pending.push(resolve));
      if (fail) throw new Error('database unavailable');
      return empty();
    },
    { ttlSeconds, now: () => clock },
  );
  return {
    cache,
    loads: () => loads,
    advance: (ms: number) => void (clock += ms),
    failing: (value: boolean) => void (fail = value),
    gate: (value: boolean) => void (gated = value),
    release: () => pending.splice(0).forEach((resolve) => resolve()),
  };
}

describe('DirectoryCache', () => {
  it('answers at once (current) exactly when get() would not wait, starting a background rebuild past the TTL', async () => {
    const h = harness(10);
    expect(h.cache.current()).toBeUndefined(); // nothing built yet: get() would wait
    const first = await h.cache.get();
    expect(h.cache.current()).toBe(first);
    h.gate(true);
    h.advance(10_000);
    expect(h.cache.current()).toBe(first); // past the TTL: still the old one, and one rebuild starts
    expect(h.cache.current()).toBe(first);
    expect(h.loads()).toBe(2);
    h.release();
    await until(async () => (h.cache.current() !== first) || undefined);
    h.gate(false);
    h.cache.invalidate();
    expect(h.cache.current()).toBeUndefined(); // changed through this process: callers wait for the new one
    await h.cache.get();
    h.advance(30_000);
    expect(h.cache.current()).toBeUndefined(); // three TTLs old: too old to answer
  });

  it('builds once and answers the same directory until the TTL passes', async () => {
    const h = harness(10);
    const first = await h.cache.get();
    h.advance(9_999);
    expect(await h.cache.get()).toBe(first);
    expect(h.loads()).toBe(1);
    h.advance(1);
    h.gate(true);
    // past the TTL: the old directory at once, while one rebuild runs for everybody
    expect(await h.cache.get()).toBe(first);
    expect(await h.cache.get()).toBe(first);
    expect(h.loads()).toBe(2);
    h.release();
    await until(async () => ((await h.cache.get()) !== first) || undefined);
    expect(h.loads()).toBe(2);
  });

  it('keeps serving the old directory when a background rebuild fails, and waits for one once it is three TTLs old', async () => {
    const h = harness(10);
    const first = await h.cache.get();
    h.failing(true);
    h.advance(10_000);
    expect(await h.cache.get()).toBe(first);
    await until(async () => h.loads() === 2 || undefined);
    h.advance(19_999);
    expect(await h.cache.get()).toBe(first);
    h.advance(1);
    await expect(h.cache.get()).rejects.toThrow('database unavailable');
    h.failing(false);
    expect(await h.cache.get()).not.toBe(first);
  });

  it('rebuilds on the next get after invalidate, and only then', async () => {
    const h = harness();
    const first = await h.cache.get();
    h.cache.invalidate();
    h.cache.invalidate();
    expect(h.loads()).toBe(1);
    const second = await h.cache.get();
    expect(second).not.toBe(first);
    expect(await h.cache.get()).toBe(second);
    expect(h.loads()).toBe(2);
  });

  it('shares one rebuild among callers waiting at the same time', async () => {
    const h = harness();
    h.gate(true);
    const waiting = [h.cache.get(), h.cache.get(), h.cache.get()];
    await Promise.resolve();
    h.release();
    const [a, b, c] = await Promise.all(waiting);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(h.loads()).toBe(1);
  });

  it('does not keep a directory read before an invalidation that came during the read', async () => {
    const h = harness();
    h.gate(true);
    const early = h.cache.get();
    await Promise.resolve();
    h.cache.invalidate();
    const late = h.cache.get();
    await Promise.resolve();
    h.release();
    const [stale, fresh] = await Promise.all([early, late]);
    expect(stale).not.toBe(fresh);
    h.gate(false);
    expect(await h.cache.get()).toBe(fresh);
    expect(h.loads()).toBe(2);
  });

  it('lets a failed rebuild reach the caller, and tries again on the next get', async () => {
    const h = harness();
    h.failing(true);
    await expect(h.cache.get()).rejects.toThrow('database unavailable');
    h.failing(false);
    await expect(h.cache.get()).resolves.toBeInstanceOf(Directory);
    expect(h.loads()).toBe(2);
  });
});
