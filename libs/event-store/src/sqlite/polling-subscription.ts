import type { EventSubscription, RecordedEvent } from '../event-store.port';

export interface PageSource {
  /**
   * Events strictly after `after`, at most `limit`, in global order, plus how far the read has
   * looked (`scannedTo` >= the last event returned): with a filter, a short page proves that
   * nothing up to the head seen by that read matches, so the next read can start there.
   */
  readPage(after: number, limit: number): { events: RecordedEvent[]; scannedTo: number };
}

export interface PollingSubscriptionOptions {
  readonly after: number;
  readonly pageSize: number;
  readonly pollIntervalMs: number;
  readonly onStop: () => void;
}

/**
 * Catch-up then live over a store that can be read by position.
 *
 * Every read starts from the cursor (the last position read and handed out), never from what a
 * notification said, so the switch from catch-up to live can neither skip nor repeat an event:
 * catch-up and live are the same loop. A wake-up (an append through the same store instance, or
 * the poll timer for writers in other processes) only says "read again".
 *
 * Memory is bounded by one page: the next page is read only when the consumer has taken the
 * previous one. `next()` calls are serialised, so a consumer that calls it without awaiting
 * still gets each event once, in order.
 */
export class PollingSubscription implements EventSubscription, AsyncIterator<RecordedEvent> {
  private cursor: number;
  private buffer: RecordedEvent[] = [];
  private index = 0;
  private stopped = false;
  private dirty = false;
  private wakeUp: (() => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: PageSource,
    private readonly options: PollingSubscriptionOptions,
  ) {
    this.cursor = options.after;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<RecordedEvent>> {
    await this.stop();
    return { value: undefined, done: true };
  }

  /** Called by the store after each commit made through it. */
  notify(): void {
    if (this.wakeUp) this.wakeUp();
    else this.dirty = true;
  }

  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.buffer = [];
      this.options.onStop();
      this.wakeUp?.();
    }
    return this.queue.then(() => undefined);
  }

  private async pull(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.stopped) return { value: undefined, done: true };
      if (this.index < this.buffer.length) {
        const event = this.buffer[this.index++];
        return { value: event, done: false };
      }
      this.dirty = false;
      const page = this.source.readPage(this.cursor, this.options.pageSize);
      this.buffer = page.events;
      this.index = 0;
      this.cursor = Math.max(this.cursor, page.scannedTo);
      if (page.events.length === 0) await this.changed();
    }
  }

  private changed(): Promise<void> {
    if (this.dirty || this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), this.options.pollIntervalMs);
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      this.wakeUp = wake;
    });
  }
}
