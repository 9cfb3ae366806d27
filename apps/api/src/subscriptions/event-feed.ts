import type { EventSubscription, RecordedEvent } from '@ppl/event-store';

/** Why a feed ended: for metrics and logs. */
export type FeedEnd = 'client' | 'slow_consumer' | 'source_ended' | 'error';

export interface EventFeedOptions<T> {
  /** The cursor the subscription started after (what a SLOW_CONSUMER close reports when nothing was delivered). */
  readonly after: number;
  /** Events a live feed may hold for its consumer; one more and it is closed as a slow consumer. */
  readonly capacity: number;
  /** Extra filtering the store's filter cannot express (an exact stream id, a body). */
  readonly accept?: (event: RecordedEvent) => boolean;
  readonly map: (event: RecordedEvent) => T;
  /** The consumer fell `capacity` events behind while live; `cursor` is the last event it was given. */
  readonly onOverflow?: (cursor: number) => void;
  /** Called once, however the feed ends. */
  readonly onEnd?: (reason: FeedEnd, cursor: number) => void;
  /** Builds what the consumer receives after an overflow (thrown from `next()`). */
  readonly slowConsumerError: (cursor: number) => Error;
  /** Builds what the consumer receives when the store ends the subscription under it. */
  readonly sourceEndedError: (cursor: number) => Error;
}

/** Resolves on the next turn of the event loop: later than any promise already settled. */
const nextTurn = (): Promise<typeof WAITED> => new Promise((resolve) => setImmediate(() => resolve(WAITED)));
const WAITED = Symbol('waited');

/**
 * One subscriber's view of the store's global stream, between the store subscription and
 * graphql-ws, with a bounded buffer.
 *
 * graphql-ws asks for the next event only once the previous one was written to the socket, so
 * a client that reads slowly holds its own feed back and nobody else's. What must not happen is
 * that the feed reads ahead without bound for it:
 * - catching up (the store had events at once), the feed reads from the store only while its
 *   buffer has room: pull-based, however far behind the consumer is;
 * - once live (the store subscription had to wait for an append at least once), the feed keeps
 *   taking what is appended, and when the consumer is `capacity` events behind, it is closed: the
 *   buffer is dropped, the store subscription stopped, and the consumer's next `next()` throws
 *   `slowConsumerError(cursor)` where `cursor` is the last event it was given, so that it
 *   resumes exactly there. Reconnecting puts it back into (pull-based) catch-up.
 *
 * `return()` (the client completed, or the socket closed) stops everything at once.
 */
export class EventFeed<T> implements AsyncIterableIterator<T> {
  private buffer: RecordedEvent[] = [];
  private head = 0;
  private live = false;
  private finished = false;
  private failure: Error | undefined;
  private overflowError: Error | undefined;
  private sourceDone = false;
  private cursorValue: number;
  private consumerWaiting: (() => void) | undefined;
  private pumpWaiting: (() => void) | undefined;

  constructor(
    private readonly source: EventSubscription,
    private readonly options: EventFeedOptions<T>,
  ) {
    this.cursorValue = options.after;
    void this.pump();
  }

  /** Position of the last event handed to the consumer (or the starting cursor). */
  get cursor(): number {
    return this.cursorValue;
  }

  /** True once the store subscription has caught up with the head at least once. */
  get isLive(): boolean {
    return this.live;
  }

  get buffered(): number {
    return this.buffer.length - this.head;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.buffered > 0) {
        const event = this.buffer[this.head++];
        if (this.head === this.buffer.length) {
          this.buffer = [];
          this.head = 0;
        }
        this.cursorValue = event.position;
        this.wakePump();
        return { value: this.options.map(event), done: false };
      }
      if (this.failure) {
        const failure = this.failure;
        this.finish('error');
        throw failure;
      }
      if (this.finished) return { value: undefined, done: true };
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
        if (this.finished || this.failure) return;
        if (!this.live && this.buffered >= this.options.capacity) {
          await new Promise<void>((resolve) => (this.pumpWaiting = resolve));
          continue;
        }
        const pending = iterator.next();
        let result: IteratorResult<RecordedEvent>;
        if (this.live) {
          result = await pending;
        } else {
          // The store answers at once while it has events; if it has to wait for an append, the
          // feed has caught up and is live from now on.
          const first = await Promise.race([pending, nextTurn()]);
          if (first === WAITED) {
            this.live = true;
            result = await pending;
          } else {
            result = first;
          }
        }
        if (this.finished) return;
        if (result.done) {
          this.sourceDone = true;
          this.wakeConsumer();
          return;
        }
        const event = result.value;
        if (this.options.accept && !this.options.accept(event)) continue;
        this.buffer.push(event);
        if (this.live && this.buffered > this.options.capacity) {
          this.overflow();
          return;
        }
        this.wakeConsumer();
      }
    } catch (error) {
      if (this.finished) return;
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.stopSource();
      this.wakeConsumer();
    }
  }

  private overflow(): void {
    this.buffer = [];
    this.head = 0;
    this.overflowError = this.options.slowConsumerError(this.cursorValue);
    this.failure = this.overflowError;
    this.stopSource();
    this.options.onOverflow?.(this.cursorValue);
    this.wakeConsumer();
  }

  private finish(reason: FeedEnd): void {
    if (this.finished) return;
    this.finished = true;
    // A feed closed for overflow that ends because its socket went away was still a slow consumer.
    const why: FeedEnd = this.overflowError ? 'slow_consumer' : reason;
    this.buffer = [];
    this.head = 0;
    this.stopSource();
    this.wakePump();
    this.wakeConsumer();
    this.options.onEnd?.(why, this.cursorValue);
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
