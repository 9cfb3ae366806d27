import { SingleBar, Presets } from 'cli-progress';

/**
 * Progress on a terminal: a bar with rate and ETA when stderr is a TTY, a line every few
 * seconds otherwise (CI logs, pipes). The rate counts from the first value reported, so a
 * resumed operation (which starts part-way) shows the pace of this run, not of the whole.
 */
export interface Progress {
  update(done: number, note?: string): void;
  stop(): void;
}

export function progress(label: string, total: number, unit = 'events'): Progress {
  const started = Date.now();
  let from: number | undefined;
  const rate = (done: number, now: number): string => {
    from ??= done;
    return Math.round((done - from) / Math.max(0.001, (now - started) / 1000)).toLocaleString('en-US');
  };
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate} ${unit}/s | ETA {eta_formatted} | {note}`, stream: process.stderr, etaBuffer: 50 },
      Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0', note: '' });
    return {
      update: (done, note = '') => bar.update(done, { rate: rate(done, Date.now()), note }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(done, note = '') {
      const now = Date.now();
      const pace = rate(done, now);
      if (now - last < 2000 && done < total) return;
      last = now;
      process.stderr.write(`${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${pace} ${unit}/s)${note ? ` ${note}` : ''}\n`);
    },
    stop: () => undefined,
  };
}
