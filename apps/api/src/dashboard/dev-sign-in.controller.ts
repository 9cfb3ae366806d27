import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { ROLES, type EmbeddedKeys, type Role, ensureEmbeddedKeys, isRole, issueToken } from '@ppl/auth';

const DEFAULT_ISSUER = 'ppl-embedded';
const DEFAULT_AUDIENCE = 'partnership-ledger';
const TTL = '8h';

export interface DevSignIn {
  readonly token: string;
  readonly role: Role;
  readonly sub: string;
  /** Until bearer tokens are verified, the actor headers name the caller: send them too. */
  readonly headers: { readonly 'x-actor': string; readonly 'x-actor-role': Role };
  readonly expiresIn: string;
}

/**
 * One-click development sign-in for the board page: a token signed with the embedded key for any
 * role. Answers 404 when NODE_ENV is production, as if it did not exist.
 */
@Controller('dev')
export class DevSignInController {
  private keys?: Promise<EmbeddedKeys>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('sign-in')
  roles(): { roles: readonly Role[] } {
    this.refuseInProduction();
    return { roles: ROLES };
  }

  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Body() body: unknown): Promise<DevSignIn> {
    this.refuseInProduction();
    const role = typeof body === 'object' && body !== null ? (body as { role?: unknown }).role : undefined;
    if (!isRole(role)) throw new BadRequestException(`role must be one of ${ROLES.join(', ')}`);
    const sub = `dev-${role.toLowerCase()}`;
    this.keys ??= ensureEmbeddedKeys(this.config.dataDir);
    const settings = this.config as unknown as Record<string, unknown>;
    const token = await issueToken(await this.keys, {
      sub,
      role,
      issuer: typeof settings.AUTH_ISSUER === 'string' ? settings.AUTH_ISSUER : DEFAULT_ISSUER,
      audience: typeof settings.AUTH_AUDIENCE === 'string' ? settings.AUTH_AUDIENCE : DEFAULT_AUDIENCE,
      ttl: TTL,
    });
    return { token, role, sub, headers: { 'x-actor': sub, 'x-actor-role': role }, expiresIn: TTL };
  }

  private refuseInProduction(): void {
    if (this.config.NODE_ENV === 'production') throw new NotFoundException();
  }
}
