import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, createPersonalKeyStore } from '@ppl/config';
import { PERSONAL_DATA, PERSONAL_KEY_STORE, PersonalData, type PersonalKeyStore } from '@ppl/privacy';

/** The personal-key store chosen by configuration and the PersonalData that seals and opens with it. */
@Global()
@Module({
  providers: [
    { provide: PERSONAL_KEY_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createPersonalKeyStore(config) },
    { provide: PERSONAL_DATA, inject: [PERSONAL_KEY_STORE], useFactory: (keys: PersonalKeyStore) => new PersonalData(keys) },
  ],
  exports: [PERSONAL_KEY_STORE, PERSONAL_DATA],
})
export class PersonalDataModule implements OnApplicationShutdown {
  constructor(@Inject(PERSONAL_KEY_STORE) private readonly keys: PersonalKeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }
}
