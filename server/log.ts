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
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'callplane' } }, destination);
}
