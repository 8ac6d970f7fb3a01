// Maps PostgreSQL constraint violations to domain errors. Constraints are named
// uq_<table>__<column> and fk_<table>__<column>; the column becomes the API field.
import { Conflict, type DomainError, InvalidField } from '../errors.js';

interface PgError {
  code?: string;
  constraint?: string;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function fieldOf(constraint: string | undefined): string | undefined {
  const match = /^(?:uq|fk)_[a-z_]+?__([a-z_]+)$/.exec(constraint ?? '');
  return match?.[1] ? camel(match[1]) : undefined;
}

/** The domain error a database error stands for, or undefined when it is not a constraint violation. */
export function domainErrorFromDatabase(error: unknown): DomainError | undefined {
  const e = error as PgError;
  const field = fieldOf(e.constraint);
  if (e.code === '23505') return new Conflict(field ?? 'resource', `${field ?? 'resource'} is already in use`);
  if (e.code === '23503' && field) return new Conflict(field, `${field} is still in use or refers to something missing`);
  if (e.code === '23503') return new Conflict('resource', 'resource is still in use');
  if (e.code === '23514') return new InvalidField(field ?? 'resource', 'value is not allowed');
  return undefined;
}

/** Runs `work`, turning constraint violations into domain errors. */
export async function translatingConstraints<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw domainErrorFromDatabase(error) ?? error;
  }
}
