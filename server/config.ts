// Every setting callplane reads, from the environment, validated once at start.
// Defaults live here and nowhere else; the README's configuration table mirrors
// `settings` below (test/unit/config.test.ts keeps the two in step).
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().positive();
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** One entry per environment variable: its schema and what the README says of it. */
export const settings = {
  CALLPLANE_HTTP_HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    doc: 'Address the API listens on (`0.0.0.0` to expose it).',
  },
  CALLPLANE_HTTP_PORT: { schema: port.default(8080), doc: 'Port of the admin API.' },
  CALLPLANE_DATA_DIR: {
    schema: z.string().min(1).default('./data'),
    doc: 'Embedded database and generated secret key live here.',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    doc: 'Use this PostgreSQL server instead of the embedded PGlite.',
  },
  CALLPLANE_SECRET_KEY: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, '32 bytes in base64 (`openssl rand -base64 32`)')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    doc: 'Master key: encrypts SIP passwords, signs tokens. Generated into the data dir when unset; set it (the same on every process) with `DATABASE_URL`.',
  },
  CALLPLANE_ADMIN_EMAIL: {
    schema: z.string().email().default('admin@callplane.local'),
    doc: 'Operator login created on first start.',
  },
  CALLPLANE_ADMIN_PASSWORD: {
    schema: z.string().min(10, 'at least 10 characters').optional(),
    doc: 'Its password; when unset a random one is printed once on first start.',
  },
  CALLPLANE_REALM_DOMAIN: {
    schema: z
      .string()
      .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a DNS domain such as sip.example.com')
      .default('sip.callplane.local'),
    doc: 'Generated realms are `<random>.<this domain>`.',
  },
  CALLPLANE_DEFAULT_TIMEZONE: {
    schema: z.string().default('UTC'),
    doc: 'Timezone of new accounts when none is given (IANA name).',
  },
  CALLPLANE_DEFAULT_COUNTRY: {
    schema: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter country code')
      .default('US'),
    doc: 'Country of new accounts when none is given.',
  },
  CALLPLANE_ACCESS_TOKEN_TTL: { schema: seconds.default(900), doc: 'Lifetime of an API access token, seconds.' },
  CALLPLANE_REFRESH_TOKEN_TTL: {
    schema: seconds.default(7 * 24 * 3600),
    doc: 'Lifetime of a refresh token, seconds.',
  },
  CALLPLANE_LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'pino log level.',
  },
  CALLPLANE_OPERATOR_NAME: { schema: optionalText, doc: 'Name of the operator (root) account; default `Operator`.' },
} as const;

type Settings = typeof settings;
type Env = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

export interface Config {
  http: { host: string; port: number };
  dataDir: string;
  databaseUrl: string | undefined;
  secretKey: string | undefined;
  admin: { email: string; password: string | undefined };
  realmDomain: string;
  defaults: { timezone: string; country: string };
  tokens: { accessTtlSeconds: number; refreshTtlSeconds: number };
  logLevel: Env['CALLPLANE_LOG_LEVEL'];
  operatorName: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const shape = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v.schema]));
  const parsed = z.object(shape).safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data as Env;
  if (!isTimezone(env.CALLPLANE_DEFAULT_TIMEZONE)) {
    throw new ConfigError('invalid configuration:\n  CALLPLANE_DEFAULT_TIMEZONE: an IANA timezone such as Europe/Paris');
  }
  return {
    http: { host: env.CALLPLANE_HTTP_HOST, port: env.CALLPLANE_HTTP_PORT },
    dataDir: path.resolve(env.CALLPLANE_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    secretKey: env.CALLPLANE_SECRET_KEY,
    admin: { email: env.CALLPLANE_ADMIN_EMAIL.toLowerCase(), password: env.CALLPLANE_ADMIN_PASSWORD },
    realmDomain: env.CALLPLANE_REALM_DOMAIN,
    defaults: { timezone: env.CALLPLANE_DEFAULT_TIMEZONE, country: env.CALLPLANE_DEFAULT_COUNTRY },
    tokens: { accessTtlSeconds: env.CALLPLANE_ACCESS_TOKEN_TTL, refreshTtlSeconds: env.CALLPLANE_REFRESH_TOKEN_TTL },
    logLevel: env.CALLPLANE_LOG_LEVEL,
    operatorName: env.CALLPLANE_OPERATOR_NAME ?? 'Operator',
  };
}

export function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}
