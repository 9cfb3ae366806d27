/**
 * `npm run projector`: the projections as their own process, for the scale-out deployment
 * (run the service with PROJECTIONS_IN_PROCESS=false and one projector beside it, on the same
 * EVENT_STORE / READ_MODEL configuration). Catches up from each projection's checkpoint, then
 * follows live. SIGTERM or SIGINT: commits what it applied, closes the stores, exits 0.
 */
import { openReadSide } from './support/read-side-stores';

async function main(): Promise<void> {
  const side = await openReadSide({
    logger: { error: (message, error) => process.stderr.write(`${message} ${error instanceof Error ? (error.stack ?? '') : ''}\n`) },
  });
  await side.runner.start();
  process.stdout.write(`projector: running ${side.runner.projections.map((p) => p.name).join(', ')} on ${side.config.dataDir}\n`);
  const report = setInterval(() => {
    void side.runner.status().then((statuses) => {
      const line = statuses.map((s) => `${s.name} ${s.state} at ${s.position} (lag ${s.lag}, ${s.eventsPerSecond.toFixed(0)}/s)${s.error ? `: ${s.error.message}` : ''}`).join(' | ');
      process.stdout.write(`projector: ${line}\n`);
    });
  }, 10_000);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  clearInterval(report);
  process.stdout.write('projector: stopping\n');
  await side.runner.stop();
  await side.close();
  process.stdout.write('projector: stopped\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`projector failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
