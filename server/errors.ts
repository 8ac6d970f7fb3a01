// The few domain errors features throw. api/ maps them to HTTP once, sip/ to SIP
// responses once. Messages are shown to callers: never put a secret in one.

export type ErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'forbidden'
  | 'unauthorized'
  | 'insufficient_funds'
  | 'payment_declined';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Item-level problems behind the error (a rate deck's bad rows), shown to the caller as they are. */
    readonly details?: readonly object[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The resource does not exist, or belongs to a tenant the caller may not see. */
export class NotFound extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

export class Conflict extends DomainError {
  constructor(field: string, message = `${field} is already in use`) {
    super('conflict', message, field);
  }
}

export class InvalidField extends DomainError {
  constructor(field: string, message: string) {
    super('invalid', message, field);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'your role does not allow this') {
    super('forbidden', message);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'authentication required') {
    super('unauthorized', message);
  }
}

export class InsufficientFunds extends DomainError {
  constructor(message = 'insufficient funds') {
    super('insufficient_funds', message);
  }
}

/** The payment provider refused a charge (declined or expired card): nothing was charged. */
export class PaymentDeclined extends DomainError {
  constructor(message: string) {
    super('payment_declined', message, 'paymentMethodId');
  }
}
