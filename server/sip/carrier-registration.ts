// Outbound REGISTER to carriers that want it (trunks with `register: true`):
// each trunk's credentials answer the carrier's challenge, and the
// registration is refreshed at half its granted lifetime (at least every
// 30 s after a failure). Every process registers the same Contact (the
// drachtio-server's address), so several processes only refresh one binding.
import type { Logger } from 'pino';
import type { TrunkDirectory } from '../trunks/index.js';

export interface RegisterSrf {
  request(uri: string, opts: { method: 'REGISTER'; headers: Record<string, string>; auth: { username: string; password: string } }): Promise<{
    on(event: 'response', cb: (res: { status: number; get(name: string): string | undefined }) => void): void;
  }>;
}

const REQUESTED_EXPIRES = 300;

/** The lifetime the carrier granted, from the 200's Contact expires or Expires header. */
export function grantedSeconds(res: { get(name: string): string | undefined }): number {
  const fromContact = /expires=(\d+)/i.exec(res.get('Contact') ?? '')?.[1];
  const seconds = Number(fromContact ?? res.get('Expires') ?? REQUESTED_EXPIRES);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : REQUESTED_EXPIRES;
}

export function registerWithCarriers(srf: RegisterSrf, trunks: TrunkDirectory, log: Logger): { sync(): void; stop(): void } {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  const schedule = (id: string, seconds: number) => {
    if (stopped) return;
    const timer = setTimeout(() => void register(id), seconds * 1000);
    timer.unref();
    timers.set(id, timer);
  };
  const register = async (id: string) => {
    const out = trunks.get(id)?.outbound;
    if (!out?.register || !out.username || !out.password) return;
    const [host] = out.hostport.split(':');
    try {
      const req = await srf.request(`sip:${out.hostport};transport=${out.transport}`, {
        method: 'REGISTER',
        headers: { From: `<sip:${out.username}@${host}>`, To: `<sip:${out.username}@${host}>`, Expires: String(REQUESTED_EXPIRES) },
        auth: { username: out.username, password: out.password },
      });
      req.on('response', (res) => {
        if (res.status === 200) {
          const granted = grantedSeconds(res);
          log.info({ trunk: id, granted }, 'registered with carrier');
          schedule(id, Math.max(15, Math.floor(granted / 2)));
        } else if (res.status >= 200) {
          log.warn({ trunk: id, status: res.status }, 'carrier refused our REGISTER; retrying in 30 s');
          schedule(id, 30);
        }
      });
    } catch (error) {
      log.warn({ trunk: id, err: (error as Error).message }, 'REGISTER to carrier failed; retrying in 30 s');
      schedule(id, 30);
    }
  };
  const sync = () => {
    for (const id of trunks.registering()) if (!timers.has(id)) void register(id);
  };
  sync();
  const watcher = setInterval(sync, 10_000);
  watcher.unref();
  return {
    sync,
    stop: () => {
      stopped = true;
      clearInterval(watcher);
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
