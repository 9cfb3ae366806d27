import type { EventFilter, EventStore, EventSubscription, RecordedEvent } from '@ppl/event-store';

/** A subscriber fed by the shared tail once it has caught up (see EventFeed). */
export interface TailMember {
  /** The last position of the global stream this member has seen (delivered or skipped by its filter). */
  readonly readCursor: number;
  /**
   * The next event of the global stream after `readCursor` (or at/before it: the member ignores
   * it). Returns false when the member's buffer is full: it leaves the tail, having not taken
   * this event, and catches up by its own reads.
   */
  offer(event: RecordedEvent): boolean;
  /** The tail's store subscription ended (shutdown) or failed. */
  sourceEnded(error?: Error): void;
}

/**
 * One tail of the store's global stream shared by every subscriber that has caught up.
 *
 * With one store subscription per subscriber, every append woke and read the store once per
 * subscriber (1,000 reads of the same event for 1,000 subscribers). The tail reads each event
 * once, through the store's own subscription (catch-up reads by position, then live: an append
 * through this store instance, or the poll timer, or EventStoreDB's push), so it works with both
 * adapters and does not depend on an in-process bus, and hands it to every member.
 *
 * It keeps the last `window` events it received, contiguous in the global order: a subscriber
 * whose own catch-up reads reached at least the position just before the oldest of them (`joinable`)
 * joins by taking those after its cursor, synchronously, so nothing can arrive in between: no gap,
 * and no duplicate (positions at or before the member's cursor are ignored).
 *
 * The tail starts when the first subscriber has caught up, just after the store's head, and stops
 * with the service (or when its store subscription ends: members are told, and the next
 * subscriber to catch up starts a new one).
 */
export class SharedTail {
  private source: EventSubscription | undefined;
  private readonly members = new Set<TailMember>();
  private recent: RecordedEvent[] = [];
  /** Position just before the oldest event in `recent`: the tail has received every event after it. */
  private windowStart = Number.NaN;
  private positionValue = Number.NaN;
  private stoppedForGood = false;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly window: number,
  ) {}

  /** The last position the tail received; NaN while it is not running. */
  get position(): number {
    return this.positionValue;
  }

  get size(): number {
    return this.members.size;
  }

  /** Stopped with the service: no tail will start again. */
  get stopped(): boolean {
    return this.stoppedForGood;
  }

  get running(): boolean {
    return this.source !== undefined;
  }

  /** Whether a member whose reads reached `cursor` can join the running tail without a gap. */
  joinable(cursor: number): boolean {
    return this.source !== undefined && cursor >= this.windowStart;
  }

  /**
   * Joins `member` (its cursor must be `joinable`): hands it the retained events after its cursor,
   * then every event the tail receives. Returns false when its buffer filled meanwhile (not joined).
   */
  join(member: TailMember): boolean {
    if (this.stoppedForGood) {
      member.sourceEnded();
      return false;
    }
    if (!this.source || !(member.readCursor >= this.windowStart)) throw new Error('SharedTail.join: not joinable');
    for (const event of this.recent) {
      if (event.position > member.readCursor && !member.offer(event)) return false;
    }
    this.members.add(member);
    return true;
  }

  leave(member: TailMember): void {
    this.members.delete(member);
  }

  /** Stops the tail for good (service shutdown): its members end with their cursors. */
  async stop(): Promise<void> {
    this.stoppedForGood = true;
    const source = this.source;
    this.source = undefined;
    this.endMembers();
    await source?.stop();
  }

  /**
   * Starts the tail (if not running) just after the store's head: a position known to be
   * committed, so that `position` never runs ahead of what a read can see (a subscriber's cursor
   * may lie beyond the head).
   */
  async ensureStarted(): Promise<void> {
    if (this.source || this.stoppedForGood) return;
    this.starting ??= this.store
      .headPosition()
      .then((head) => {
        if (!this.source && !this.stoppedForGood) this.start(head);
      })
      .finally(() => (this.starting = undefined));
    await this.starting;
  }

  private start(after: number): void {
    const source = this.store.subscribeToAll({ after });
    this.source = source;
    this.recent = [];
    this.windowStart = after;
    this.positionValue = after;
    void this.run(source);
  }

  private async run(source: EventSubscription): Promise<void> {
    let failure: Error | undefined;
    try {
      for await (const event of source) {
        if (this.source !== source) return;
        this.receive(event);
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    if (this.source !== source) return;
    // The store ended the subscription (closing) or failed: members end with their cursor, and
    // the next join starts a new tail.
    this.source = undefined;
    this.recent = [];
    this.windowStart = Number.NaN;
    this.positionValue = Number.NaN;
    this.endMembers(failure);
  }

  private endMembers(failure?: Error): void {
    const members = [...this.members];
    this.members.clear();
    for (const member of members) member.sourceEnded(failure);
  }

  private receive(event: RecordedEvent): void {
    if (event.position <= this.positionValue) return;
    this.positionValue = event.position;
    this.recent.push(event);
    if (this.recent.length > this.window) {
      const dropped = this.recent.splice(0, this.recent.length - this.window);
      this.windowStart = dropped[dropped.length - 1].position;
    }
    for (const member of this.members) {
      if (!member.offer(event)) this.members.delete(member);
    }
  }
}

/** The store's filter semantics (EventFilter), for events the tail hands out unfiltered. */
export function matchesFilter(filter: EventFilter, event: RecordedEvent): boolean {
  if (filter.types && filter.types.length > 0 && !filter.types.includes(event.type)) return false;
  if (filter.streamPrefixes && filter.streamPrefixes.length > 0 && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) {
    return false;
  }
  return true;
}
