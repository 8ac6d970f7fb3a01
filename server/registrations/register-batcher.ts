// Group commit for the registrar: while one batch statement is in flight, the
// REGISTERs that arrive wait and then go together as ONE statement, so
// PostgreSQL's per-statement work and the commit's flush are shared. Under load
// statements are also paced: the next starts no sooner than `minIntervalMs`
// after the last one started. PostgreSQL's cost is mostly per statement (about
// 200 µs of CPU each, ~25 µs per REGISTER in it), and unpaced the batcher sends
// a statement the moment the last returns — the faster the statement, the more
// of them, each small. A REGISTER after a quiet spell still goes at once, and
// one that a conflict held back goes in the very next statement. Each request
// still gets its own answer (a refused replay is refused alone). Two requests
// of the same subaccount, or with the same nonce, never share a batch: the
// later waits for the next, so each sees the other's effect exactly as if they
// had run one after the other. A failed batch is bisected, so one bad request
// fails alone without serialising the rest.
import type { Database } from '../db/index.js';
import { type OneContactRegister, type RegisterAnswer, registerBatch } from './register-batch.repository.js';

/**
 * Every REGISTER that arrives waits for the statement in flight, so a slow one
 * (a commit waiting for the disk, a lock) holds them all: say so, with how long
 * and how many, instead of a silent stall; and say when a batch failed and is split.
 */
export interface BatchWatch {
  /** statements slower than this are reported (default 1000 ms) */
  slowMs?: number;
  onSlow?: (ms: number, requests: number) => void;
  onFailed?: (error: unknown, requests: number) => void;
}

interface Pending {
  request: OneContactRegister;
  resolve: (answer: RegisterAnswer) => void;
  reject: (error: unknown) => void;
}

export class RegisterBatcher {
  private queue: Pending[] = [];
  /** a statement is in flight, or the next one is waiting for its turn */
  private inFlight = false;
  /** when the last statement was sent (performance.now()) */
  private lastSent = -Infinity;
  /** the last take() left requests behind for a conflict: they go next without waiting for the interval */
  private heldBack = false;

  private readonly maxBatch: number;
  private readonly minIntervalMs: number;
  private readonly write: typeof registerBatch;
  private readonly watch: BatchWatch;

  constructor(
    private readonly db: Database,
    /** maxBatch: most requests in one statement; write: the statement (tests watch it); watch: what to tell about slow or failed batches */
    options: { maxBatch?: number; minIntervalMs?: number; write?: typeof registerBatch; watch?: BatchWatch } = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.write = options.write ?? registerBatch;
    this.watch = options.watch ?? {};
  }

  register(request: OneContactRegister): Promise<RegisterAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.inFlight) this.next();
    });
  }

  private next(): void {
    const wait = this.queue.length && !this.heldBack ? this.lastSent + this.minIntervalMs - performance.now() : 0;
    if (wait > 0) {
      this.inFlight = true;
      setTimeout(() => this.send(), wait);
      return;
    }
    this.send();
  }

  private send(): void {
    const batch = this.take();
    this.inFlight = batch.length > 0;
    if (!batch.length) return;
    this.lastSent = performance.now();
    void this.run(batch).finally(() => this.next());
  }

  /** The oldest waiting requests that conflict with none already taken; the rest keep their order. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const subaccounts = new Set<string>();
    const nonces = new Set<string>();
    this.heldBack = false;
    for (const pending of this.queue) {
      const { who, nonceCount } = pending.request;
      if (batch.length >= this.maxBatch || subaccounts.has(who.subaccountId) || (nonceCount && nonces.has(nonceCount.nonce))) {
        this.heldBack = true;
        rest.push(pending);
        continue;
      }
      subaccounts.add(who.subaccountId);
      if (nonceCount) nonces.add(nonceCount.nonce);
      batch.push(pending);
    }
    this.queue = rest;
    // rows locked in subaccount order: two processes' batches cannot deadlock on each other
    return batch.sort((a, b) => (a.request.who.subaccountId < b.request.who.subaccountId ? -1 : 1));
  }

  /**
   * A failed batch is split in halves, each retried as one statement (in order),
   * so a bad request fails alone after ~2·log2(n) statements. Retrying one by one
   * would hold every REGISTER that arrives meanwhile for n round trips and n
   * commits — seconds for a full batch on a slow disk, past the client's 500 ms
   * retransmission timer — with nothing logged, as each retry succeeds.
   */
  private async run(batch: Pending[]): Promise<void> {
    const started = performance.now();
    try {
      const answers = await this.write(this.db, batch.map((p) => p.request));
      this.timed(started, batch.length);
      batch.forEach((p, i) => p.resolve(answers[i]!));
    } catch (error) {
      this.timed(started, batch.length);
      if (batch.length === 1) return batch[0]!.reject(error);
      this.watch.onFailed?.(error, batch.length);
      const half = Math.ceil(batch.length / 2);
      await this.run(batch.slice(0, half));
      await this.run(batch.slice(half));
    }
  }

  private timed(started: number, requests: number): void {
    const ms = performance.now() - started;
    if (ms >= (this.watch.slowMs ?? 1000)) this.watch.onSlow?.(Math.round(ms), requests);
  }
}
