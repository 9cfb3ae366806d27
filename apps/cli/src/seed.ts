import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandGateway, StandaloneCommandsModule } from '@ppl/commands';
import { demoPortfolio } from './seed/demo-portfolio';
import { progress } from './support/progress';

/**
 * `npm run seed`: records the demo portfolio through the command bus into DATA_DIR (a fresh
 * one, or the data dir of a running service: SQLite lets both write, and the service's
 * projections pick the events up). Every step has a fixed command id, so an interrupted run
 * resumes where it stopped and a second run records nothing twice.
 */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(StandaloneCommandsModule, { logger: ['error', 'warn'] });
  const gateway = app.get(CommandGateway);
  const steps = demoPortfolio();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const bar = progress('seeding', steps.length);
  let recorded = 0;
  let already = 0;
  const refusals: string[] = [];
  const unexpected: string[] = [];
  try {
    for (const [i, step] of steps.entries()) {
      if (interrupted) break;
      try {
        const result = await gateway.execute(step.type, step.input, { commandId: step.commandId, businessTime: step.businessTime }, step.actor);
        if (step.expectRefusal) unexpected.push(`${step.commandId}: expected ${step.expectRefusal} but it was recorded`);
        if (result.duplicate) already++;
        else recorded++;
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'ERROR';
        if (step.expectRefusal === code) refusals.push(`${step.type} on ${String(step.input.partnershipId)}: refused with ${code}, as the strategy requires`);
        else unexpected.push(`${step.commandId}: ${code} ${(error as Error).message}`);
      }
      bar.update(i + 1, step.type);
    }
  } finally {
    bar.stop();
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
