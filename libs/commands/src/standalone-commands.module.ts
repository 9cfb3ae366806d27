import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { COMMAND_OBSERVER, silentObserver } from './command-observer';
import { CommandsModule } from './commands.module';
import { APP_CONFIG, type AppConfig, createEventStore, loadConfig } from '@ppl/config';
import { EVENT_STORE, type EventStore } from '@ppl/event-store';

/** What the command side needs outside a web server: configuration and the event store. */
@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: () => loadConfig() },
    { provide: EVENT_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createEventStore(config) },
    { provide: COMMAND_OBSERVER, useValue: silentObserver },
  ],
  exports: [APP_CONFIG, EVENT_STORE, COMMAND_OBSERVER],
})
class StandaloneInfrastructureModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * The command bus with its handlers outside the web service: for operator commands that record
 * events (seed) and for benchmarks. Configured from the environment like the service.
 */
@Module({ imports: [StandaloneInfrastructureModule, CommandsModule] })
export class StandaloneCommandsModule {}
