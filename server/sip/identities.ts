// Every SIP identity (realm + user → subaccount and its sealed password), kept
// per process: loaded in one query and looked up in memory, so an
// authenticated REGISTER reads nothing from the database to find its user.
// The snapshot is rebuildable and never trusted blindly:
// - a change made through this process (the features' onChange) makes it
//   unusable at once (invalidate) until a fresh one has loaded;
// - changes made by other processes show within `maxAgeMs`: from half that age
//   the snapshot is checked in the background (a one-row fingerprint of every
//   identity; all rows are read again only when it changed) while the old one
//   answers, and an older one is not used at all;
// - a user the snapshot does not have, or whose password does not match, is
//   read from the database directly (`fresh`): a user created a moment ago
//   elsewhere registers at once, and an unknown user costs the same query as
//   a wrong password.
import type { Database } from '../db/index.js';
import { type SipIdentity, allSipIdentities, registrationRepository as repo, sipIdentitiesFingerprint } from '../registrations/index.js';
import type { SecretBox } from '../secrets.js';

export interface KnownIdentity {
  identity: SipIdentity;
  /** the opened password, once someone needed it */
  password?: string;
}

interface Snapshot {
  entries: Map<string, KnownIdentity>;
  /** when the database was last found to match it */
  loadedAt: number;
  generation: number;
  /** the database's identities fingerprint, read before the rows were */
  fingerprint: string;
}

const keyOf = (realm: string, user: string) => `${realm.toLowerCase()}\n${user}`;

export class SipIdentities {
  private snapshot: Snapshot | undefined;
  private loading = false;
  /** when a reload last failed: the next waits a second, so a database outage is not retried (and logged) per request */
  private failedAt = -Infinity;
  /** bumped by invalidate(): a snapshot loaded before the bump is not used */
  private generation = 0;

  constructor(
    private readonly deps: { db: Database; box: SecretBox; maxAgeMs?: number; onError?: (error: unknown) => void; clock?: () => number },
  ) {}

  private get maxAgeMs() {
    return this.deps.maxAgeMs ?? 5000;
  }

  private clock() {
    return this.deps.clock?.() ?? Date.now();
  }

  /** The identity as the snapshot knows it; undefined when it does not, or when no usable snapshot is loaded. */
  cached(realm: string, user: string): KnownIdentity | undefined {
    const snap = this.snapshot;
    const age = snap ? this.clock() - snap.loadedAt : Infinity;
    const current = snap !== undefined && snap.generation === this.generation;
    if (!current || age >= this.maxAgeMs / 2) this.reload();
    return current && age < this.maxAgeMs ? snap.entries.get(keyOf(realm, user)) : undefined;
  }

  /** Reads one identity from the database, and keeps what it found in the snapshot. */
  async fresh(realm: string, user: string): Promise<KnownIdentity | undefined> {
    const generation = this.generation;
    const identity = await repo.sipIdentity(this.deps.db, realm, user);
    const snap = this.snapshot;
    const entry = identity && { identity };
    if (snap && snap.generation === generation && generation === this.generation) {
      if (entry) snap.entries.set(keyOf(realm, user), entry);
      else snap.entries.delete(keyOf(realm, user));
    }
    return entry;
  }

  password(known: KnownIdentity): string {
    return (known.password ??= this.deps.box.open(known.identity.passwordEnc));
  }

  /** Something an identity depends on changed (a subaccount, an account's realm or status): stop using the snapshot now. */
  invalidate(): void {
    this.generation += 1;
  }

  /** Loads a snapshot in the background (one at a time); requests meanwhile use the old one or the database. */
  private reload(): void {
    if (this.loading || this.clock() - this.failedAt < 1000) return;
    this.loading = true;
    this.refresh(this.generation, this.clock(), this.snapshot)
      .catch((error: unknown) => {
        this.failedAt = this.clock();
        this.deps.onError?.(error);
      })
      .finally(() => {
        this.loading = false;
      });
  }

  /**
   * Reads the fingerprint first: when nothing an identity depends on changed,
   * the snapshot is as good as a new one and is kept (one row read instead of
   * every identity parsed, which at 10,000 users held this process's CPU for
   * tens of ms every 2.5 s). The fingerprint is read before the rows, so a
   * change committed in between only causes one more reload.
   */
  private async refresh(generation: number, started: number, current: Snapshot | undefined): Promise<void> {
    const fingerprint = await sipIdentitiesFingerprint(this.deps.db);
    if (current && current.generation === generation && current.fingerprint === fingerprint) {
      if (generation === this.generation) this.snapshot = { ...current, loadedAt: started };
      return;
    }
    const rows = await allSipIdentities(this.deps.db);
    const previous = current?.entries;
    const entries = new Map<string, KnownIdentity>();
    for (const row of rows) {
      const key = keyOf(row.realm, row.sip_user);
      const old = previous?.get(key);
      // an unchanged row keeps its opened password: no decryption of every user on every reload
      const same = old && old.identity.passwordEnc === row.sip_password_enc && old.identity.subaccountId === row.id;
      entries.set(key, same ? old : { identity: { subaccountId: row.id, accountId: row.account_id, passwordEnc: row.sip_password_enc } });
    }
    if (generation === this.generation) this.snapshot = { entries, loadedAt: started, generation, fingerprint };
  }
}
