import { Command } from 'commander';
import { ROLES, ensureEmbeddedKeys, isRole, issueToken } from '@ppl/auth';
import { ConfigurationError, loadConfig } from '@ppl/config';

/**
 * `npm run token -- --role ROLE --sub ID [--org ORGID] [--ttl 1h]`: prints a bearer token signed
 * with the embedded key under DATA_DIR/auth (created on first use, as the service does), for
 * AUTH_ISSUER and AUTH_AUDIENCE. With AUTH_JWKS_URL or AUTH_PUBLIC_KEY_FILE set the service does
 * not accept these tokens: ask your identity provider instead.
 */
async function main(): Promise<void> {
  const options = new Command('token')
    .description('Print a bearer token for the embedded signing key in DATA_DIR')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--sub <id>', 'the subject: the actor recorded on every event this token records')
    .option('--org <organisationId>', "the caller's organisation")
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 1h, 7d', '1h')
    .parse(process.argv)
    .opts<{ role: string; sub: string; org?: string; ttl: string }>();

  const role = options.role.toUpperCase();
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  if (!/^[A-Za-z0-9._:@-]{1,200}$/.test(options.sub)) throw new UsageError('--sub: letters, digits and ._:@- only, at most 200');
  if (!/^\d+\s?(s|m|h|d|w)$/.test(options.ttl)) throw new UsageError('--ttl: a number and s, m, h, d or w (e.g. 1h)');
  const config = loadConfig();
  if (config.AUTH_JWKS_URL || config.AUTH_PUBLIC_KEY_FILE) {
    process.stderr.write('warning: AUTH_JWKS_URL or AUTH_PUBLIC_KEY_FILE is set: the service will not accept embedded-key tokens\n');
  }
  const keys = await ensureEmbeddedKeys(config.dataDir);
  const token = await issueToken(keys, {
    sub: options.sub,
    role,
    ...(options.org ? { organisationId: options.org } : {}),
    ttl: options.ttl,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
  });
  process.stdout.write(`${token}\n`);
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
