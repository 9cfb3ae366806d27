import type { Decider } from '../shared/decider';
import { DomainError, type DomainErrorCode, type UnmetCondition } from '../shared/domain-error';

/**
 * Given / When / Then for deciders, after event-driven-io/emmett's DeciderSpecification:
 *
 *   spec.given(events).when(command).then(expectedEvents)
 *   spec.given(events).when(command).thenThrows('PHASE_GATE_UNMET', [{ condition: ... }])
 *
 * Plain functions (no jest import) so other layers may reuse it with any runner; assertions
 * throw an Error whose message shows expected and actual.
 */
export interface DeciderSpecification<C, E, Ctx> {
  given(events: readonly E[]): {
    when(command: C, context?: Partial<Ctx>): {
      then(expected: readonly E[]): void;
      thenNothing(): void;
      thenThrows(code: DomainErrorCode, unmet?: readonly UnmetCondition[]): DomainError;
      /** The decided events, for assertions the helpers do not cover. */
      events(): E[];
    };
  };
}

const show = (value: unknown): string => JSON.stringify(value, null, 2);

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (show(actual) !== show(expected)) throw new Error(`${what}\nexpected: ${show(expected)}\nactual:   ${show(actual)}`);
}

export function deciderSpecification<C, E, S, Ctx>(decider: Decider<C, E, S, Ctx>, defaultContext: Ctx): DeciderSpecification<C, E, Ctx> {
  return {
    given(events) {
      const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState);
      return {
        when(command, context) {
          const run = () => decider.decide(command, state, { ...defaultContext, ...context });
          return {
            then(expected) {
              assertEqual(run(), expected, 'decided events differ');
            },
            thenNothing() {
              assertEqual(run(), [], 'expected nothing new to be recorded');
            },
            thenThrows(code, unmet) {
              let result: E[];
              try {
                result = run();
              } catch (error) {
                if (!(error instanceof DomainError)) throw error;
                assertEqual(error.code, code, 'error code differs');
                if (unmet !== undefined) {
                  const actual = error.unmet.map((u) => (unmet.some((x) => x.detail !== undefined) ? u : { condition: u.condition }));
                  assertEqual(actual, unmet, 'unmet conditions differ');
                }
                return error;
              }
              throw new Error(`expected ${code}, but decided ${show(result)}`);
            },
            events: run,
          };
        },
      };
    },
  };
}
