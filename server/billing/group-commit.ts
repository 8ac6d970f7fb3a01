// Natural batching (group commit) for call authorization: while a batch is at
// the database, new requests wait; when it answers, everything that waited
// goes as the next batch — one statement and one commit for all of them.
// There is no timer: a request that finds the database idle goes at once, so
// batching never adds latency; under load a batch grows with what arrived
// during the previous one, and the cost of a round trip, a commit and the
// driver's per-query work is shared by every request in it.

/** Sends a batch; answers one result per request, in order. */
export type SendBatch<I, O> = (requests: I[]) => Promise<O[]>;

export interface GroupCommitOptions {
  /** batches at the database at once (1: strictly one after another) */
  maxInFlight?: number;
  /** the most requests in one batch; more wait for the next */
  maxBatch?: number;
}

interface Waiting<I, O> {
  request: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private inFlight = 0;
  /** requests in the batches in flight */
  private outstanding = 0;
  /** a batch just answered: requests its callers make next join the batch sent once they have run */
  private pumpScheduled = false;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    private readonly send: SendBatch<I, O>,
    options: GroupCommitOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 1;
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Resolves with the request's result, or rejects with the error that failed its batch. */
  submit(request: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.pumpScheduled) this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      // an equal share of everything outstanding: under steady load the batches in flight stay alike in
      // size, so the database runs one while node answers and fills the next
      const share = Math.ceil((this.queue.length + this.outstanding) / this.maxInFlight);
      const batch = this.queue.splice(0, Math.min(share, this.maxBatch));
      this.inFlight += 1;
      this.outstanding += batch.length;
      void this.run(batch).finally(() => this.answered(batch.length));
    }
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.send(batch.map((w) => w.request));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} answered ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  /**
   * The callers just answered run their continuations (promise callbacks)
   * before the next batch leaves, so a caller that asks again at once joins
   * it instead of leaving alone: setImmediate runs after those callbacks,
   * without waiting for any clock.
   */
  private answered(size: number): void {
    this.inFlight -= 1;
    this.outstanding -= size;
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }
}
