import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Logger } from 'pino';

/**
 * The event store did not answer a readiness probe: the probe says so without the driver's own
 * message (it names hosts, ports and files, and health is answered to anyone); the log has it.
 */
export function eventStoreDown(indicators: HealthIndicatorService, logger: Logger, error: unknown): HealthIndicatorResult {
  logger.warn({ err: error }, 'readiness: the event store does not answer');
  return indicators.check('eventStore').down({ message: 'the event store does not answer (the service log says why)' });
}
