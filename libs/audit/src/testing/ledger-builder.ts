import { randomUUID } from 'node:crypto';
import {
  HOME_STRATEGY_ID,
  deciders,
  eventSchemas,
  isEventType,
  type DecisionContext,
  type PartnershipCommand,
  type PartnershipState,
  type StrategyCommand,
  type StrategyState,
} from '@ppl/domain';
import { eventHash, type EventMetadata, type RecordedEvent } from '@ppl/event-store';
import { HOME_STRATEGY_STREAM, asPartnershipEvent, evolveStrategy } from '../recorded';

/**
 * Test support: records commands through the real deciders into an in-memory global order with
 * the SQLite adapter's hash chain, and can plant raw events that no decider would write.
 */
export class LedgerBuilder {
  readonly events: RecordedEvent[] = [];
  private readonly streamHashes = new Map<string, { revision: number; hash: string }>();
  private clock = Date.parse('2026-01-01T00:00:00.000Z');
  private commands = 0;

  strategyState(): StrategyState {
    return this.events
      .filter((e) => e.streamId === HOME_STRATEGY_STREAM)
      .reduce(evolveStrategy, deciders.strategy.initialState);
  }

  partnershipState(partnershipId: string): PartnershipState {
    return this.events
      .filter((e) => e.streamId === `partnership-${partnershipId}`)
      .reduce(
        (s, e) => deciders.partnership.evolve(s, asPartnershipEvent(e)),
        deciders.partnership.initialState,
      );
  }

  strategy(
    command: Omit<StrategyCommand, 'strategyId'>,
    businessTime = '2025-01-01T09:00:00.000Z',
  ): RecordedEvent[] {
    const full = { ...command, strategyId: HOME_STRATEGY_ID } as StrategyCommand;
    const decided = deciders.strategy.decide(
      full,
      this.strategyState(),
      this.context(businessTime),
    );
    return this.record(HOME_STRATEGY_STREAM, decided, businessTime);
  }

  /** The home strategy of the tests: one theme, `work`, up to a COVENANT without the board; `more` adds to it. */
  defineStrategy(more: Record<string, unknown> = {}, businessTime?: string): RecordedEvent[] {
    const definition = {
      type: 'DefineStrategy',
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: [],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
      ...more,
    } as unknown as Omit<StrategyCommand, 'strategyId'>;
    return this.strategy(definition, businessTime);
  }

  partnership(
    command: PartnershipCommand,
    businessTime = '2025-01-06T09:00:00.000Z',
    actor = 'manager-1',
  ): RecordedEvent[] {
    const state = this.partnershipState(command.partnershipId);
    const decided = deciders.partnership.decide(command, state, {
      ...this.context(businessTime, actor),
      strategy: this.strategyState(),
    });
    return this.record(`partnership-${command.partnershipId}`, decided, businessTime, actor);
  }

  /** Appends an event straight to the record, past every decider (what a tamperer would do). */
  plant(
    streamId: string,
    type: string,
    data: unknown,
    businessTime = '2025-06-01T09:00:00.000Z',
  ): RecordedEvent {
    return this.record(streamId, [{ type, data }], businessTime, 'intruder')[0] as RecordedEvent;
  }

  private context(businessTime: string, actor = 'board-secretary'): DecisionContext {
    return { actor: { id: actor }, businessTime };
  }

  private record(
    streamId: string,
    decided: readonly { type: string; data: unknown }[],
    businessTime: string,
    actor = 'board-secretary',
  ): RecordedEvent[] {
    const commandId = `cmd-${++this.commands}`;
    const out: RecordedEvent[] = [];
    for (const e of decided) {
      const previous = this.streamHashes.get(streamId);
      const last = this.events[this.events.length - 1];
      const metadata: EventMetadata = {
        commandId,
        correlationId: commandId,
        causationId: commandId,
        actor: { id: actor },
        businessTime,
      };
      const fields = {
        id: randomUUID(),
        streamId,
        revision: previous ? previous.revision + 1 : 0,
        position: this.events.length + 1,
        type: e.type,
        schemaVersion: isEventType(e.type) ? eventSchemas[e.type].schemaVersion : 1,
        // what the store keeps is JSON: drop undefined fields as it would
        data: JSON.parse(JSON.stringify(e.data)) as unknown,
        metadata,
        recordedAt: new Date((this.clock += 1000)).toISOString(),
      };
      const hash = eventHash(fields, previous?.hash ?? '', last?.hash ?? '');
      const recorded: RecordedEvent = { ...fields, hash };
      this.events.push(recorded);
      this.streamHashes.set(streamId, { revision: fields.revision, hash });
      out.push(recorded);
    }
    return out;
  }
}
