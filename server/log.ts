// The process logger. Anything that could carry a credential is redacted by
// path, so a careless `log.info({ body })` cannot leak one.
import pino, { type Logger } from 'pino';

export const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'sipPassword',
  '*.sipPassword',
  'currentPassword',
  '*.currentPassword',
  'conferencePasscode',
  '*.conferencePasscode',
  'refreshToken',
  '*.refreshToken',
  'accessToken',
  '*.accessToken',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'secretKey',
  // card data (sent only to the test provider's tokenize) and webhook signing secrets
  'card',
  '*.card',
  '*.*.card',
  'webhookSecret',
  '*.webhookSecret',
  '*.*.webhookSecret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'callplane' } }, destination);
}

/**
 * What of an unexpected error goes into a log line: its name, code and message
 * and the top of its stack — never a driver's query parameters, which may hold
 * sealed secrets or personal data.
 */
export function errorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(code !== undefined ? { code } : {}),
    stack: error.stack?.split('\n').slice(0, 6).join('\n'),
  };
}
