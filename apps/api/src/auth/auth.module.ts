import { Global, Module } from '@nestjs/common';
import { createTokenVerifier, type TokenVerifier } from '@ppl/auth';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { TOKEN_VERIFIER, verifierSettings } from './auth.tokens';
import { GraphqlLimits } from './graphql-limits';
import { HttpSecurity } from './http-security';
import { RateLimiter } from './rate-limiter';

/** Authentication (bearer JWT), rate limiting and GraphQL limits: see the README, "Security". */
@Global()
@Module({
  providers: [
    {
      provide: TOKEN_VERIFIER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<TokenVerifier> => createTokenVerifier(verifierSettings(config)),
    },
    RateLimiter,
    HttpSecurity,
    GraphqlLimits,
  ],
  exports: [TOKEN_VERIFIER, RateLimiter, HttpSecurity, GraphqlLimits],
})
export class AuthModule {}
