import type { EventSubscription, RecordedEvent } from '@ppl/event-store';

/** Why a feed ended: for metrics and logs. */
export type FeedEnd = 'client' | 'slow_consumer' | 'source_ended' | 'error';

export interface EventFeedOptions<T> {
  /** The cursor the subscription started after (the SLOW_CONSUMER cursor when nothing was taken yet). */
  readonly after: number;
  /** Events read ahead of the consumer, at most. */
  readonly capacity: number;
  /** Extra filtering the store's filter cannot express (an exact stream id, a body). */
  readonly accept?: (event: RecordedEvent) => boolean;
  readonly map: (event: RecordedEvent) => T;
  /** Called once, however the feed ends, with the last position handed to the consumer. */
  readonly onEnd?: (reason: FeedEnd, cursor: number) => void;
  /** What `next()` throws after `closeSlowConsumer()`. */
  readonly slowConsumerError: (cursor: number) => Error;
  /** What `next()` throws when the store ends the subscription under it (shutdown). */
  readonly sourceEndedError: (cursor: number) => Error;
  readonly now?: () => number;
}

/**
 * One subscriber's view of the store's global stream, between the store subscription and
 * graphql-ws: a bounded, pull-based buffer.
 *
 * graphql-ws asks for the next item only once the previous one was written to the socket, so a
 * client that reads slowly holds back its own feed and nobody else's. The feed reads from the
 * store only while it holds fewer than `capacity` events: however far behind a client is, in
 * catch-up or live, its memory stays bounded (this buffer plus one store page), and it receives
 * everything, just later.
 *
 * A client that takes nothing at all while events wait for it (its socket does not drain) is
 * found by `stalledFor()`; `closeSlowConsumer()` then drops the buffer and stops the store
 * subscription; `cursor` is the last event handed out, which the client has received once it
 * reads what is queued, so resubscribing with `after: cursor` resumes exactly there.
 *
 * `return()` (the client completed, or the socket closed) stops everything at once.
 */
export class EventFeed<T> implements AsyncIterableIterator<T> {
  private buffer: RecordedEvent[] = [];
  private head = 0;
  private finished = false;
  private failure: Error | undefined;
  private slow = false;
  private sourceDone = false;
  private cursorValue: number;
  private lastProgress: number;
  private consumerWaiting: (() => void) | undefined;
  private pumpWaiting: (() => void) | undefined;
  private readonly now: () => number;

  constructor(
    private readonly source: EventSubscription,
    private readonly options: EventFeedOptions<T>,
  ) {
    this.cursorValue = options.after;
    this.now = options.now ?? Date.now;
    this.lastProgress = this.now();
    void this.pump();
  }

  /** Position of the last event handed to the consumer (or the starting cursor). */
  get cursor(): number {
    return this.cursorValue;
  }

  get buffered(): number {
    return this.buffer.length - this.head;
  }

  get isFinished(): boolean {
    return this.finished || this.failure !== undefined;
  }

  /** Milliseconds events have waited with the consumer taking none; 0 when nothing waits. */
  stalledFor(now = this.now()): number {
    if (this.buffered === 0 || this.isFinished) return 0;
    return Math.max(0, now - this.lastProgress);
  }

  /** Ends the feed for a consumer that does not take what waits for it; returns the cursor. */
  closeSlowConsumer(): number {
    if (!this.isFinished) {
      this.slow = true;
      this.failure = this.options.slowConsumerError(this.cursorValue);
      this.buffer = [];
      this.head = 0;
      this.stopSource();
      this.wakePump();
      this.wakeConsumer();
    }
    return this.cursorValue;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.finished) return { value: undefined, done: true };
      if (this.buffered > 0) {
        const event = this.buffer[this.head++];
        if (this.head === this.buffer.length) {
          this.buffer = [];
          this.head = 0;
        }
        this.cursorValue = event.position;
        this.lastProgress = this.now();
        this.wakePump();
        return { value: this.options.map(event), done: false };
      }
      if (this.failure) {
        const failure = this.failure;
        this.finish('error');
        throw failure;
      }
      if (this.sourceDone) {
        const error = this.options.sourceEndedError(this.cursorValue);
        this.finish('source_ended');
        throw error;
      }
      await new Promise<void>((resolve) => (this.consumerWaiting = resolve));
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.finish('client');
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish('client');
    throw error instanceof Error ? error : new Error(String(error));
  }

  private async pump(): Promise<void> {
    const iterator = this.source[Symbol.asyncIterator]();
    try {
      for (;;) {
        if (this.isFinished) return;
        if (this.buffered >= this.options.capacity) {
          await new Promise<void>((resolve) => (this.pumpWaiting = resolve));
          continue;
        }
        const result = await iterator.next();
        if (this.isFinished) return;
        if (result.done) {
          this.sourceDone = true;
          this.wakeConsumer();
          return;
        }
        const event = result.value;
        if (this.options.accept && !this.options.accept(event)) continue;
        // The stall clock starts when something waits: a consumer idle on an empty buffer is not slow.
        if (this.buffered === 0) this.lastProgress = this.now();
        this.buffer.push(event);
        this.wakeConsumer();
      }
    } catch (error) {
      if (this.isFinished) return;
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.stopSource();
      this.wakeConsumer();
    }
  }

  private finish(reason: FeedEnd): void {
    if (this.finished) return;
    this.finished = true;
    this.buffer = [];
    this.head = 0;
    this.stopSource();
    this.wakePump();
    this.wakeConsumer();
    this.options.onEnd?.(this.slow ? 'slow_consumer' : reason, this.cursorValue);
  }

  private stopSource(): void {
    this.source.stop().catch(() => undefined);
  }

  private wakeConsumer(): void {
    const wake = this.consumerWaiting;
    this.consumerWaiting = undefined;
    wake?.();
  }

  private wakePump(): void {
    const wake = this.pumpWaiting;
    this.pumpWaiting = undefined;
    wake?.();
  }
}
