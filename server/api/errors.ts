// Every error leaves the API as {error:{code,message,field?}}, mapped here once.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { errorSummary } from '../log.js';
import { domainErrorFromDatabase } from '../db/index.js';
import { DomainError, type ErrorCode } from '../errors.js';

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  insufficient_funds: 402,
  payment_declined: 402,
};

export interface ApiErrorBody {
  error: { code: ErrorCode | 'internal'; message: string; field?: string; details?: readonly object[] };
}

export function zodToDomain(error: ZodError, prefix?: string): DomainError {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter((p) => p !== undefined && p !== '').join('.');
  const field = path || prefix || 'body';
  const message = issue?.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
  return new DomainError('invalid', `${field}: ${message}`, field);
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let error = err;
    if (error instanceof ZodError) error = zodToDomain(error);
    error = domainErrorFromDatabase(error) ?? error;
    if ((error as { type?: string }).type === 'entity.parse.failed') {
      error = new DomainError('invalid', 'body: not valid JSON', 'body');
    } else if ((error as { type?: string }).type === 'entity.too.large') {
      error = new DomainError('invalid', 'body: too large', 'body');
    }
    if (error instanceof DomainError) {
      const body: ApiErrorBody = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
          ...(error.details ? { details: error.details } : {}),
        },
      };
      res.status(STATUS[error.code]).json(body);
      return;
    }
    log.error({ err: errorSummary(error), method: req.method, route: req.route?.path as unknown }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } } satisfies ApiErrorBody);
  };
}
