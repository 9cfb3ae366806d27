import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { CommandGateway, StandaloneCommandsModule, type GatewayResult } from '@ppl/commands';
import { DEMO_SPAN_DAYS, demoFirstDay, demoPortfolio, type SeedStep } from './seed/demo-portfolio';
import { progress } from './support/progress';

/**
 * `npm run seed`: records the demo portfolio through the command bus into DATA_DIR (a fresh
 * one, or the data dir of a running service: SQLite lets both write, and the service's
 * projections pick the events up). Every step has a fixed command id, so an interrupted run
 * resumes where it stopped and a second run records nothing twice.
 *
 * The story is dated so that its last step falls on `--ends-on` (default: yesterday, UTC). A
 * ledger already seeded keeps the dates it was seeded with: the first step, found recorded, gives
 * day 0 of the rest.
 */
async function main(): Promise<void> {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const options = new Command()
    .name('seed')
    .option('--ends-on <date>', `the day (YYYY-MM-DD, not after today) of the demo's last step; it spans ${DEMO_SPAN_DAYS} days`, yesterday)
    .parse(process.argv)
    .opts<{ endsOn: string }>();
  let steps: SeedStep[];
  try {
    if (options.endsOn > new Date().toISOString().slice(0, 10)) throw new RangeError(`--ends-on ${options.endsOn} is after today`);
    steps = demoPortfolio(demoFirstDay(options.endsOn));
  } catch (error) {
    // Refused before anything is opened: nothing is recorded.
    process.stderr.write(`seed: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const app = await NestFactory.createApplicationContext(StandaloneCommandsModule, { logger: ['error', 'warn'] });
  const gateway = app.get(CommandGateway);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let recorded = 0;
  let already = 0;
  const refusals: string[] = [];
  const unexpected: string[] = [];
  /** Records one step; the result, or undefined when it was refused. */
  const record = async (step: SeedStep): Promise<GatewayResult | undefined> => {
    try {
      const result = await gateway.execute(step.type, step.input, { commandId: step.commandId, businessTime: step.businessTime }, step.actor);
      if (step.expectRefusal) unexpected.push(`${step.commandId}: expected ${step.expectRefusal} but it was recorded`);
      if (result.duplicate) already++;
      else recorded++;
      return result;
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERROR';
      if (step.expectRefusal === code) refusals.push(`${step.type} on ${String(step.input.partnershipId)}: refused with ${code}, as the strategy requires`);
      else unexpected.push(`${step.commandId}: ${code} ${(error as Error).message}`);
      return undefined;
    }
  };
  let bar: ReturnType<typeof progress> | undefined;
  try {
    // The first step dates the rest: found recorded, the ledger keeps the dates it was seeded with.
    const first = await record(steps[0]);
    const seededOn = first?.duplicate ? first.events[0]?.metadata.businessTime : undefined;
    const redated = seededOn !== undefined && seededOn !== steps[0].businessTime;
    if (redated) steps = demoPortfolio(seededOn);
    const span = `${steps[0].businessTime.slice(0, 10)} to ${steps.map((step) => step.businessTime).reduce((x, y) => (x > y ? x : y)).slice(0, 10)}`;
    process.stdout.write(`demo portfolio dated ${span}${redated ? ', as this ledger was first seeded' : ''}\n`);
    bar = progress('seeding', steps.length, 'commands');
    bar.update(1, steps[0].type);
    for (let i = 1; i < steps.length; i++) {
      if (interrupted) break;
      await record(steps[i]);
      bar.update(i + 1, steps[i].type);
    }
  } finally {
    bar?.stop();
    await app.close();
  }
  const summary = `${recorded} commands recorded, ${already} already there, ${refusals.length} refused as intended`;
  process.stdout.write(`${interrupted ? 'interrupted: ' : ''}${summary}\n`);
  for (const line of refusals) process.stdout.write(`  - ${line}\n`);
  if (interrupted) process.stdout.write('run `npm run seed` again to resume\n');
  if (unexpected.length > 0) {
    process.stderr.write(`unexpected outcomes:\n${unexpected.map((u) => `  - ${u}`).join('\n')}\n`);
    process.exitCode = 1;
  }
  if (interrupted) process.exitCode = 130;
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
