import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { ROLES, type EmbeddedKeys, type Role, ensureEmbeddedKeys, isRole, issueToken } from '@ppl/auth';

const TTL = '8h';

export interface DevSignIn {
  readonly token: string;
  readonly role: Role;
  readonly sub: string;
  /** What to send with every request (Authorization: Bearer <token>). */
  readonly headers: { readonly authorization: string };
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
    const token = await issueToken(await this.keys, {
      sub,
      role,
      issuer: this.config.AUTH_ISSUER,
      audience: this.config.AUTH_AUDIENCE,
      ttl: TTL,
    });
    return { token, role, sub, headers: { authorization: `Bearer ${token}` }, expiresIn: TTL };
  }

  private refuseInProduction(): void {
    if (this.config.NODE_ENV === 'production') throw new NotFoundException();
  }
}
