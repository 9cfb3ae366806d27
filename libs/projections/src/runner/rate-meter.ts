/** Events per second over a sliding window. */
export class RateMeter {
  private samples: { at: number; count: number }[] = [];
  private readonly startedAt: number;

  constructor(
    private readonly windowMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  record(count: number): void {
    const at = this.now();
    this.samples.push({ at, count });
    this.prune(at);
  }

  perSecond(): number {
    const at = this.now();
    this.prune(at);
    const total = this.samples.reduce((sum, s) => sum + s.count, 0);
    const span = Math.max(at - Math.max(this.startedAt, at - this.windowMs), 1);
    return (total * 1000) / span;
  }

  private prune(at: number): void {
    while (this.samples.length > 0 && this.samples[0].at < at - this.windowMs) this.samples.shift();
  }
}
