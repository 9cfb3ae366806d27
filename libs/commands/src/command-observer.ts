/**
 * What the command side reports about itself; the service turns it into Prometheus metrics,
 * a command-line tool may ignore it.
 */
export interface CommandObserver {
  commandFinished(type: string, outcome: string, seconds: number): void;
  appended(seconds: number, position: number): void;
}

export const COMMAND_OBSERVER = Symbol.for('ppl.CommandObserver');

export const silentObserver: CommandObserver = {
  commandFinished: () => undefined,
  appended: () => undefined,
};
