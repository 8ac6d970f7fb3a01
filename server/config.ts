// Every setting callplane reads, from the environment, validated once at start.
// Defaults live here and nowhere else; the README's configuration table mirrors
// `settings` below (test/unit/config.test.ts keeps the two in step).
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().positive();
/** The longest digest nonce lifetime: the registrar's ring of nonce-counts is sized for it (registration.repository.ts). */
export const MAX_NONCE_TTL_SECONDS = 600;
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
  CALLPLANE_DIRECTORY_TTL: {
    schema: seconds.default(10),
    doc: 'Seconds the routing directory is cached; then it is rebuilt in the background while calls keep using it. Changes through this process’s API apply at once; this bounds how long changes made elsewhere (the CLI, another control plane) take.',
  },
  DRACHTIO_HOST: { schema: optionalText, doc: 'drachtio-server admin address; SIP is off while unset.' },
  DRACHTIO_PORT: { schema: port.default(9022), doc: 'drachtio-server admin port.' },
  DRACHTIO_SECRET: { schema: z.string().default('cymru'), doc: 'drachtio-server admin secret.' },
  FREESWITCH_SIP: {
    schema: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'host:port of the FreeSWITCH SIP profile, e.g. 127.0.0.1:5080')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    doc: 'Where the SIP edge sends calls (the FreeSWITCH profile); requests from this host are trusted as the switch. Calls are refused while unset.',
  },
  CALLPLANE_ESL_LISTEN: {
    schema: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:8084')
      .default('127.0.0.1:8084'),
    doc: 'Where the controller takes calls from FreeSWITCH (`socket <this> async full` in its dialplan).',
  },
  FREESWITCH_ESL_HOST: { schema: optionalText, doc: 'FreeSWITCH event socket address; the call controller is off while unset.' },
  FREESWITCH_ESL_PORT: { schema: port.default(8021), doc: 'FreeSWITCH event socket port.' },
  FREESWITCH_ESL_PASSWORD: { schema: z.string().default('ClueCon'), doc: 'FreeSWITCH event socket password.' },
  CALLPLANE_SIP_EXPIRES: {
    schema: z
      .string()
      .regex(/^\d+\/\d+\/\d+$/, 'min/default/max seconds, e.g. 60/3600/3600')
      .default('60/3600/3600'),
    doc: 'REGISTER expiry bounds, `min/default/max` seconds: shorter → 423, longer → clamped.',
  },
  CALLPLANE_SIP_DIGEST: {
    schema: z.enum(['SHA-256,MD5', 'MD5,SHA-256', 'MD5', 'SHA-256']).default('SHA-256,MD5'),
    doc: 'Digest challenges offered, in order. Devices that read only the first challenge and know only MD5 need `MD5,SHA-256`.',
  },
  CALLPLANE_SIP_MAX_BINDINGS: { schema: z.coerce.number().int().min(1).max(100).default(10), doc: 'Most devices registered at once on one subaccount.' },
  CALLPLANE_SIP_NONCE_TTL: { schema: seconds.max(MAX_NONCE_TTL_SECONDS).default(300), doc: `Digest nonce lifetime, seconds (then \`stale=true\`), at most ${MAX_NONCE_TTL_SECONDS}.` },
  CALLPLANE_SIP_REGISTER_BATCH_MS: {
    schema: z.coerce.number().int().min(0).max(1000).default(10),
    doc: 'Under load, the registrar writes bindings at most once per this many milliseconds, every REGISTER that arrived meanwhile in one statement (one commit). A REGISTER after a quiet spell is written at once. 0: a statement as soon as the previous one returns.',
  },
  CALLPLANE_SIP_RATE_LIMIT: {
    schema: z.string().regex(/^\d+\/\d+$/, 'requests/seconds, e.g. 16/2').default('16/2'),
    doc: 'More than `requests` in `seconds` from one address → ban.',
  },
  CALLPLANE_SIP_AUTH_FAILURES: {
    schema: z.string().regex(/^\d+\/\d+$/, 'failures/seconds, e.g. 5/600').default('5/600'),
    doc: '`failures` failed authentications in `seconds` from one address → ban.',
  },
  CALLPLANE_SIP_BAN_SECONDS: { schema: seconds.default(3600), doc: 'How long a ban lasts.' },
  CALLPLANE_SIP_ALLOW: {
    schema: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean))
      .refine((list) => list.every((a) => isIP(a.split('/')[0] ?? '') !== 0), 'comma-separated addresses or CIDR blocks'),
    doc: 'Addresses / CIDR blocks never banned (comma-separated).',
  },
  CALLPLANE_SIP_SCANNERS: {
    schema: z
      .string()
      .default('friendly-scanner,sipcli,sip-cli,sipvicious,sipsak,vaxsipuseragent,sundayddr,iWar,sipscan,pplsip,smap')
      .transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean)),
    doc: 'User-Agent fragments dropped without a response (comma-separated, case-insensitive).',
  },
  CALLPLANE_USAGE_CHECK_INTERVAL: {
    schema: z.coerce.number().int().min(0).default(60),
    doc: 'Seconds between runs of the usage job (threshold alerts, auto-recharge, webhook retries); `0` turns the scheduler off.',
  },
  CALLPLANE_SMTP_URL: {
    schema: z
      .string()
      .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    doc: 'SMTP server for alert emails (`smtp://user:pass@host:587`, `smtps://…:465`). Unset: emails are kept in the outbox (`GET /accounts/{id}/outbox`).',
  },
  CALLPLANE_MAIL_FROM: { schema: z.string().email().default('callplane@localhost'), doc: 'Sender address of alert emails.' },
  CALLPLANE_TAX_RATE_BP: {
    schema: z.coerce.number().int().min(0).max(10_000).default(0),
    doc: 'Tax on invoices, basis points of the subtotal (2000 = 20 %); rounded half away from zero once per invoice.',
  },
  CALLPLANE_BILLING_INTERVAL: {
    schema: z.coerce.number().int().min(0).default(3600),
    doc: 'Seconds between runs of the billing job (this period’s recurring charges, last period’s invoices; safe to run twice); 0 turns it off.',
  },
  CALLPLANE_CURRENCY: {
    schema: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').default('USD'),
    doc: 'Currency of the default price list (accounts with no price list up their lineage).',
  },
  CALLPLANE_SEAT_PRICE_MINOR: {
    schema: z.coerce.number().int().min(0).default(0),
    doc: 'Default price of one billed user (seat) per month, minor units; operators and resellers override it with a price list.',
  },
  CALLPLANE_PROVISION_LISTEN: {
    schema: z
      .string()
      .regex(/^(off|[^\s:]+:\d{1,5})$/, 'host:port, e.g. 127.0.0.1:8180, or off')
      .default('127.0.0.1:8180'),
    doc: 'Where phones and ATAs fetch their configuration over HTTP (`off`: no HTTP listener).',
  },
  CALLPLANE_PROVISION_TLS_LISTEN: {
    schema: z
      .string()
      .regex(/^([^\s:]+:\d{1,5})?$/, 'host:port, e.g. 0.0.0.0:8443')
      .default(''),
    doc: 'The same over HTTPS; off while unset.',
  },
  CALLPLANE_PROVISION_TLS_CERT: {
    schema: optionalText,
    doc: 'PEM certificate (chain) file for HTTPS; unset: a self-signed one is generated into `<data dir>/provisioning-tls/`.',
  },
  CALLPLANE_PROVISION_TLS_KEY: { schema: optionalText, doc: 'PEM private key file for that certificate.' },
  CALLPLANE_PROVISION_URL: {
    schema: z
      .string()
      .regex(/^(https?:\/\/[^\s/]+)?$/, 'a base URL such as https://prov.example.com:8443 (no path)')
      .default(''),
    doc: 'Base URL devices reach the provisioning listener at (shown in the API, written into configurations); default: the HTTP listen address.',
  },
  CALLPLANE_PROVISION_MISSES: {
    schema: z.string().regex(/^\d+\/\d+$/, 'misses/seconds, e.g. 10/600').default('10/600'),
    doc: '`misses` different failed lookups (unknown MACs, wrong keys) in `seconds` from one address → ban.',
  },
  CALLPLANE_PROVISION_BAN_SECONDS: { schema: seconds.default(3600), doc: 'How long a provisioning ban lasts.' },
  CALLPLANE_PROVISION_CACHE_TTL: {
    schema: z.coerce.number().int().min(0).default(10),
    doc: 'Seconds between reloads of the per-process snapshot provisioning answers from (`0`: read the database on every request). Changes through this process’s API apply at once; this bounds how long changes made elsewhere take.',
  },
  CALLPLANE_PROVISION_UPLOAD_BYTES: {
    schema: z.coerce.number().int().min(1024).default(1_048_576),
    doc: 'Largest file a device may upload (Polycom logs and overrides), bytes.',
  },
  CALLPLANE_SIP_PUBLIC_HOST: {
    schema: optionalText,
    doc: 'Host phones send SIP to, written into their configuration; default: the account’s realm.',
  },
  CALLPLANE_SIP_PUBLIC_PORT: { schema: port.default(5060), doc: 'Port phones send SIP to.' },
  CALLPLANE_SIP_PUBLIC_TRANSPORT: {
    schema: z.enum(['udp', 'tcp', 'tls']).default('udp'),
    doc: 'Transport phones use for SIP.',
  },
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
  /** seconds the routing directory is cached between rebuilds */
  directoryTtlSeconds: number;
  sip: SipConfig;
  /** usage charges: the job's interval (0: off) and where alert emails go */
  usage: { checkIntervalSeconds: number; smtpUrl: string | undefined; mailFrom: string };
  billing: {
    taxRateBp: number;
    /** seconds between billing job runs; 0: off */
    intervalSeconds: number;
    defaultPriceList: { currency: string; seatPriceMinor: number };
  };
  /** the FreeSWITCH controller; undefined when FREESWITCH_ESL_HOST is unset */
  switch: {
    listen: { host: string; port: number };
    freeswitch: { host: string; port: number; password: string };
  } | undefined;
  provisioning: ProvisioningConfig;
}

export interface HostPort {
  host: string;
  port: number;
}

export interface ProvisioningConfig {
  /** undefined: no HTTP listener */
  listen: HostPort | undefined;
  /** undefined: no HTTPS listener */
  tlsListen: HostPort | undefined;
  /** PEM files; undefined: self-signed into the data dir */
  tls: { certFile: string; keyFile: string } | undefined;
  /** base URL devices use; undefined: from the listen address */
  publicUrl: string | undefined;
  misses: { misses: number; seconds: number };
  banSeconds: number;
  uploadBytes: number;
  /** seconds a lookup row is cached per process; 0: none */
  cacheSeconds: number;
  /** where phones send SIP; host undefined: the account's realm */
  sip: { host: string | undefined; port: number; transport: 'udp' | 'tcp' | 'tls' };
}

export interface SipConfig {
  drachtio: { host: string; port: number; secret: string } | undefined;
  /** host:port of FreeSWITCH's SIP profile */
  freeswitch: { host: string; port: number } | undefined;
  expires: { min: number; default: number; max: number };
  maxBindings: number;
  digest: ('SHA-256' | 'MD5')[];
  nonceTtlSeconds: number;
  /** least time between two registrar batch statements under load */
  registerBatchMs: number;
  rate: { requests: number; seconds: number };
  authFailures: { failures: number; seconds: number };
  banSeconds: number;
  allow: string[];
  scannerAgents: string[];
}

const pair = (v: string) => v.split('/').map(Number) as [number, number];

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
    directoryTtlSeconds: env.CALLPLANE_DIRECTORY_TTL,
    sip: sipConfig(env),
    provisioning: provisioningConfig(env),
    usage: { checkIntervalSeconds: env.CALLPLANE_USAGE_CHECK_INTERVAL, smtpUrl: env.CALLPLANE_SMTP_URL, mailFrom: env.CALLPLANE_MAIL_FROM },
    billing: {
      taxRateBp: env.CALLPLANE_TAX_RATE_BP,
      intervalSeconds: env.CALLPLANE_BILLING_INTERVAL,
      defaultPriceList: { currency: env.CALLPLANE_CURRENCY, seatPriceMinor: env.CALLPLANE_SEAT_PRICE_MINOR },
    },
    switch: env.FREESWITCH_ESL_HOST
      ? {
          listen: { host: env.CALLPLANE_ESL_LISTEN.split(':')[0]!, port: Number(env.CALLPLANE_ESL_LISTEN.split(':')[1]) },
          freeswitch: { host: env.FREESWITCH_ESL_HOST, port: env.FREESWITCH_ESL_PORT, password: env.FREESWITCH_ESL_PASSWORD },
        }
      : undefined,
  };
}

const hostPort = (v: string): HostPort => {
  const at = v.lastIndexOf(':');
  return { host: v.slice(0, at), port: Number(v.slice(at + 1)) };
};

function provisioningConfig(env: Env): ProvisioningConfig {
  const cert = env.CALLPLANE_PROVISION_TLS_CERT;
  const key = env.CALLPLANE_PROVISION_TLS_KEY;
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError('invalid configuration:\n  CALLPLANE_PROVISION_TLS_CERT: set it together with CALLPLANE_PROVISION_TLS_KEY');
  }
  const [misses, missSeconds] = pair(env.CALLPLANE_PROVISION_MISSES);
  return {
    listen: env.CALLPLANE_PROVISION_LISTEN === 'off' ? undefined : hostPort(env.CALLPLANE_PROVISION_LISTEN),
    tlsListen: env.CALLPLANE_PROVISION_TLS_LISTEN ? hostPort(env.CALLPLANE_PROVISION_TLS_LISTEN) : undefined,
    tls: cert && key ? { certFile: cert, keyFile: key } : undefined,
    publicUrl: env.CALLPLANE_PROVISION_URL || undefined,
    misses: { misses, seconds: missSeconds },
    banSeconds: env.CALLPLANE_PROVISION_BAN_SECONDS,
    uploadBytes: env.CALLPLANE_PROVISION_UPLOAD_BYTES,
    cacheSeconds: env.CALLPLANE_PROVISION_CACHE_TTL,
    sip: { host: env.CALLPLANE_SIP_PUBLIC_HOST, port: env.CALLPLANE_SIP_PUBLIC_PORT, transport: env.CALLPLANE_SIP_PUBLIC_TRANSPORT },
  };
}

function sipConfig(env: Env): SipConfig {
  const [min, def, max] = env.CALLPLANE_SIP_EXPIRES.split('/').map(Number) as [number, number, number];
  if (!(min <= def && def <= max)) {
    throw new ConfigError('invalid configuration:\n  CALLPLANE_SIP_EXPIRES: min ≤ default ≤ max');
  }
  const [requests, rateSeconds] = pair(env.CALLPLANE_SIP_RATE_LIMIT);
  const [failures, failureSeconds] = pair(env.CALLPLANE_SIP_AUTH_FAILURES);
  return {
    drachtio: env.DRACHTIO_HOST ? { host: env.DRACHTIO_HOST, port: env.DRACHTIO_PORT, secret: env.DRACHTIO_SECRET } : undefined,
    freeswitch: env.FREESWITCH_SIP
      ? { host: env.FREESWITCH_SIP.split(':')[0]!, port: Number(env.FREESWITCH_SIP.split(':')[1]) }
      : undefined,
    expires: { min, default: def, max },
    maxBindings: env.CALLPLANE_SIP_MAX_BINDINGS,
    digest: env.CALLPLANE_SIP_DIGEST.split(',') as SipConfig['digest'],
    nonceTtlSeconds: env.CALLPLANE_SIP_NONCE_TTL,
    registerBatchMs: env.CALLPLANE_SIP_REGISTER_BATCH_MS,
    rate: { requests, seconds: rateSeconds },
    authFailures: { failures, seconds: failureSeconds },
    banSeconds: env.CALLPLANE_SIP_BAN_SECONDS,
    allow: env.CALLPLANE_SIP_ALLOW,
    scannerAgents: env.CALLPLANE_SIP_SCANNERS,
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
