import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable } from '@nestjs/common';
import type { ProjectionStatus } from '@ppl/projections';

export type ToProjectionThread = { type: 'stop' };
export type FromProjectionThread =
  | { type: 'started' }
  | { type: 'commit'; projection: string; checkpoint: number }
  | { type: 'status'; statuses: ProjectionStatus[] }
  | { type: 'log'; level: 'error' | 'info'; message: string; error?: string }
  | { type: 'failed'; error: string }
  | { type: 'stopped' };

/**
 * What the service knows of projections that run elsewhere (a worker thread, see
 * ProjectionThread): wakes read-your-writes waiters when one commits, and remembers which
 * failed. Without a thread nothing signals it and waiters poll on their timer.
 */
@Injectable()
export class ProjectionProgress {
  private wake: (() => void)[] = [];
  private readonly failures = new Map<string, string>();

  /** Something was committed or a status arrived. */
  signal(): void {
    const waiting = this.wake;
    this.wake = [];
    for (const resolve of waiting) resolve();
  }

  /** Resolves at the next signal, or after `ms`. */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = this.wake.filter((w) => w !== done);
        resolve();
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.wake.push(done);
    });
  }

  setFailed(projection: string, message: string | undefined): void {
    if (message === undefined) this.failures.delete(projection);
    else this.failures.set(projection, message);
  }

  /** Why the projection failed, if it did. */
  failure(projection: string): string | undefined {
    return this.failures.get(projection);
  }
}

export interface ProjectionThreadHandlers {
  onStatus(statuses: ProjectionStatus[]): void;
  onLog(level: 'error' | 'info', message: string, error?: string): void;
}

/**
 * Runs the projections on a worker thread (projection-thread.worker) and relays what it says.
 * `start` resolves once they have started (caught up or following); `stop` asks them to commit
 * what they applied and close, and ends the thread if it has not within `timeoutMs`.
 */
export class ProjectionThread {
  private worker: Worker | undefined;
  private stopping = false;

  constructor(
    private readonly progress: ProjectionProgress,
    private readonly handlers: ProjectionThreadHandlers,
  ) {}

  start(): Promise<void> {
    const entry = join(__dirname, 'projection-thread.worker.js');
    if (!existsSync(entry)) return Promise.reject(new Error(`PROJECTIONS_THREAD needs the compiled service (${entry} is missing)`));
    const worker = new Worker(entry);
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromProjectionThread) => {
        switch (message.type) {
          case 'started':
            resolve();
            break;
          case 'commit':
            this.progress.signal();
            break;
          case 'status':
            for (const s of message.statuses) this.progress.setFailed(s.name, s.state === 'FAILED' ? (s.error?.message ?? 'failed') : undefined);
            this.handlers.onStatus(message.statuses);
            this.progress.signal();
            break;
          case 'log':
            this.handlers.onLog(message.level, message.message, message.error);
            break;
          case 'failed':
            this.handlers.onLog('error', 'projection thread failed', message.error);
            reject(new Error(`projection thread failed: ${message.error}`));
            break;
          case 'stopped':
            break;
        }
      });
      worker.on('error', (error) => {
        this.handlers.onLog('error', 'projection thread crashed', error.stack ?? error.message);
        reject(error);
      });
      worker.on('exit', (code) => {
        this.worker = undefined;
        if (!this.stopping) {
          this.handlers.onLog('error', `projection thread exited (code ${code})`);
          reject(new Error(`projection thread exited (code ${code})`));
        }
      });
    });
  }

  async stop(timeoutMs: number): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToProjectionThread);
    const timer = setTimeout(() => void worker.terminate(), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
