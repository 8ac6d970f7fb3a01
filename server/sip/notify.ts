// Out-of-dialog NOTIFYs to registered devices — provisioning's "resync"
// (Event: check-sync and its vendor equivalents) — sent through the edge to
// each binding's source address, as calls are.
import type { Database } from '../db/index.js';
import { callRepository, sourceUri } from '../registrations/index.js';

export interface NotifySrf {
  request(uri: string, opts: { method: string; headers: Record<string, string>; proxy: string }): Promise<unknown>;
}

/** Sends `event` to every current binding of the device; resolves with how many were sent. */
export async function notifyDevice(srf: NotifySrf, db: Database, deviceId: string, event: string): Promise<number> {
  const bindings = await callRepository.bindingsOfDevice(db, deviceId, new Date());
  await Promise.all(
    bindings.map((b) =>
      srf.request(b.contact, {
        method: 'NOTIFY',
        proxy: sourceUri(b),
        headers: { Event: event, 'Subscription-State': 'terminated;reason=timeout', 'Content-Length': '0' },
      }),
    ),
  );
  return bindings.length;
}
