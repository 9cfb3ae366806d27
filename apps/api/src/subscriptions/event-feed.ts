import type { RecordedEvent } from '@ppl/event-store';
import type { SharedTail, TailMember } from './shared-tail';

/** Why a feed ended: for metrics and logs. */
export type FeedEnd = 'client' | 'slow_consumer' | 'source_ended' | 'error';

/** A catch-up read: matching events strictly after `after`, at most `limit`, in global order. */
export type CatchUpRead = (after: number, limit: number) => Promise<RecordedEvent[]>;

export interface EventFeedOptions<T> {
  /** The cursor the subscription started after (the SLOW_CONSUMER cursor when nothing was taken yet). */
  readonly after: number;
  /** Events held for the consumer, at most (catch-up reads and the shared tail alike). */
  readonly capacity: number;
  /** The subscriber's own reads of the store (used until it joins the tail); `accept` applies to them too. */
  readonly read: CatchUpRead;
  /** The whole filter: the shared tail hands out every event, and reads may return more than it keeps. */
  readonly accept: (event: RecordedEvent) => boolean;
  readonly map: (event: RecordedEvent) => T;
  /** Called once, however the feed ends, with the last position handed to the consumer. */
  readonly onEnd?: (reason: FeedEnd, cursor: number) => void;
  /** What `next()` throws after `closeSlowConsumer()`. */
  readonly slowConsumerError: (cursor: number) => Error;
  /**
   * What `next()` throws when the store ends the subscription under it (shutdown), or fails under
   * it (unavailable): a typed error with the cursor to resume after, never the store's own.
   */
  readonly sourceEndedError: (cursor: number) => Error;
  /** The store's own error, when it failed under the feed (for the log: it names files or hosts). */
  readonly onSourceError?: (error: Error, cursor: number) => void;
  readonly now?: () => number;
}

/**
 * One subscriber's view of the store's global stream, between the store and graphql-ws: a
 * bounded, pull-based buffer that is filled first by the subscriber's own catch-up reads, then
 * by the shared tail (SharedTail) once those reads have reached it.
 *
 * - Catch-up: reads by position after `readCursor` (the last position read, or proven to hold
 *   nothing matching), only while the buffer has room.
 * - Switch: when `readCursor` is within the tail's retained window, the feed joins the tail, which
 *   hands it the retained events after `readCursor` and then every new one; positions at or before
 *   `readCursor` are ignored, so the switch has no gap and no duplicate.
 * - Live: the tail offers each event; a feed whose buffer is full refuses it and leaves the tail,
 *   without taking it, and catches up again by its own reads once its consumer has taken some. A
 *   slow subscriber thus never holds the tail back, and its memory stays within `capacity` events.
 *
 * graphql-ws asks for the next item only once the previous one was written to the socket, so a
 * client that reads slowly holds back its own feed and nobody else's. A client that takes nothing
 * at all while events wait for it (its socket does not drain) is found by `stalledFor()`;
 * `closeSlowConsumer()` then drops the buffer; `cursor` is the last event handed out, which the
 * client has received once it reads what is queued, so resubscribing with `after: cursor`
 * resumes exactly there.
 *
 * `return()` (the client completed, or the socket closed) stops everything at once.
 */
export class EventFeed<T> implements AsyncIterableIterator<T>, TailMember {
  private buffer: RecordedEvent[] = [];
  private head = 0;
  private finished = false;
  private failure: Error | undefined;
  private slow = false;
  private sourceDone = false;
  private joined = false;
  private reachedHead = false;
  private cursorValue: number;
  private readCursorValue: number;
  private lastProgress: number;
  private consumerWaiting: (() => void) | undefined;
  private fillerWaiting: (() => void) | undefined;
  private readonly now: () => number;

  constructor(
    private readonly tail: SharedTail,
    private readonly options: EventFeedOptions<T>,
  ) {
    this.cursorValue = options.after;
    this.readCursorValue = options.after;
    this.now = options.now ?? Date.now;
    this.lastProgress = this.now();
    void this.fill();
  }

  /** Position of the last event handed to the consumer (or the starting cursor). */
  get cursor(): number {
    return this.cursorValue;
  }

  /** The last position of the global stream this feed has read or been offered. */
  get readCursor(): number {
    return this.readCursorValue;
  }

  get buffered(): number {
    return this.buffer.length - this.head;
  }

  /** Fed by the shared tail (true) or catching up by its own reads (false). */
  get live(): boolean {
    return this.joined;
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
      this.leaveTail();
      this.wakeFiller();
      this.wakeConsumer();
    }
    return this.cursorValue;
  }

  /** TailMember: the tail's next event; false (not taken, feed leaves the tail) when the buffer is full. */
  offer(event: RecordedEvent): boolean {
    if (this.isFinished) return false;
    if (event.position <= this.readCursorValue) return true;
    if (!this.options.accept(event)) {
      this.readCursorValue = event.position;
      return true;
    }
    if (this.buffered >= this.options.capacity) {
      this.joined = false;
      this.wakeFiller();
      return false;
    }
    this.push(event);
    this.readCursorValue = event.position;
    return true;
  }

  /** TailMember: the tail's store subscription ended under this feed. */
  sourceEnded(error?: Error): void {
    this.joined = false;
    if (this.isFinished) return;
    if (error) this.options.onSourceError?.(error, this.cursorValue);
    // Failed or ended, the consumer gets what is buffered, then the typed end with its cursor.
    this.sourceDone = true;
    this.wakeFiller();
    this.wakeConsumer();
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
        if (!this.joined && this.buffered <= this.options.capacity / 2) this.wakeFiller();
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

  /** Catch-up: own reads until the tail can take over; again whenever the feed left the tail. */
  private async fill(): Promise<void> {
    const capacity = this.options.capacity;
    try {
      for (;;) {
        if (this.isFinished || this.sourceDone) return;
        // Reads resume once the consumer has taken half of a full buffer (pages, not single events).
        if (this.joined || this.buffered > capacity / 2) {
          await new Promise<void>((resolve) => (this.fillerWaiting = resolve));
          continue;
        }
        // A feed that has not reached the head yet does not start the tail.
        if (!this.tail.running && this.reachedHead) {
          await this.tail.ensureStarted();
          if (this.tail.stopped) this.sourceEnded();
          continue;
        }
        if (this.tail.joinable(this.readCursorValue)) {
          if (this.tail.join(this)) {
            this.joined = true;
            continue;
          }
          if (this.isFinished || this.sourceDone) return;
          // The retained events filled the buffer: read on from there once it has room.
          continue;
        }
        // Every event up to the tail's position is committed, so a short page proves that
        // nothing up to there matches beyond what it returned.
        const tailPosition = this.tail.position;
        const limit = capacity - this.buffered;
        const page = await this.options.read(this.readCursorValue, limit);
        if (this.isFinished) return;
        for (const event of page) {
          if (event.position <= this.readCursorValue) continue;
          if (this.options.accept(event)) this.push(event);
          this.readCursorValue = event.position;
        }
        if (page.length < limit) {
          this.reachedHead = true;
          if (tailPosition > this.readCursorValue) this.readCursorValue = tailPosition;
        }
      }
    } catch (error) {
      if (this.isFinished) return;
      this.options.onSourceError?.(error instanceof Error ? error : new Error(String(error)), this.cursorValue);
      this.sourceDone = true;
      this.leaveTail();
      this.wakeConsumer();
    }
  }

  private push(event: RecordedEvent): void {
    // The stall clock starts when something waits: a consumer idle on an empty buffer is not slow.
    if (this.buffered === 0) this.lastProgress = this.now();
    this.buffer.push(event);
    this.wakeConsumer();
  }

  private finish(reason: FeedEnd): void {
    if (this.finished) return;
    this.finished = true;
    this.buffer = [];
    this.head = 0;
    this.leaveTail();
    this.wakeFiller();
    this.wakeConsumer();
    this.options.onEnd?.(this.slow ? 'slow_consumer' : reason, this.cursorValue);
  }

  private leaveTail(): void {
    this.joined = false;
    this.tail.leave(this);
  }

  private wakeConsumer(): void {
    const wake = this.consumerWaiting;
    this.consumerWaiting = undefined;
    wake?.();
  }

  private wakeFiller(): void {
    const wake = this.fillerWaiting;
    this.fillerWaiting = undefined;
    wake?.();
  }
}
