// Runs the usage job every N seconds in the control plane. A run never
// overlaps the previous one in this process; other processes may run it at
// the same time (the attempt rows' unique key keeps them from charging twice).
import type { Usage, UsageRun } from './usage.js';

export class UsageScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly usage: Pick<Usage, 'runUsageChecks'>,
    private readonly intervalSeconds: number,
    private readonly onError: (error: unknown) => void,
    private readonly onRun?: (run: UsageRun) => void,
  ) {}

  start(): void {
    if (this.intervalSeconds <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress to end. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.usage
      .runUsageChecks(new Date())
      .then((run) => this.onRun?.(run), this.onError)
      .finally(() => {
        this.running = undefined;
      });
  }
}
