import { SingleBar, Presets } from 'cli-progress';

/**
 * Progress on a terminal: a bar with rate and ETA when stderr is a TTY, a line every few
 * seconds otherwise (CI logs, pipes).
 */
export interface Progress {
  update(done: number, note?: string): void;
  stop(): void;
}

export function progress(label: string, total: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted} | {note}`, stream: process.stderr, etaBuffer: 50 },
      Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(total, 0, { rate: '0', note: '' });
    return {
      update: (done, note = '') => bar.update(done, { rate: (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(0), note }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  const started = Date.now();
  return {
    update(done, note = '') {
      const now = Date.now();
      if (now - last < 2000 && done < total) return;
      last = now;
      const rate = done / Math.max(0.001, (now - started) / 1000);
      process.stderr.write(`${label}: ${done}/${total} (${rate.toFixed(0)}/s) ${note}\n`);
    },
    stop: () => undefined,
  };
}
