/** Typed errors: each carries its HTTP status and a stable code; one handler renders them. */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: FieldError[],
    message = 'Certaines valeurs envoyées ne sont pas valides.',
  ) {
    super(400, 'validation_error', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'La page ou la ressource demandée n’existe pas.') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(409, 'conflict', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Vous n’avez pas le droit de faire cela.') {
    super(403, 'forbidden', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Connectez-vous pour continuer.') {
    super(401, 'unauthorized', message);
  }
}

/** Temporary: the handler adds Retry-After so that clients and load balancers come back later. */
export class ServiceUnavailableError extends AppError {
  constructor(
    message = 'Le service est momentanément indisponible. Réessayez dans quelques secondes.',
    readonly retryAfterSeconds = 5,
  ) {
    super(503, 'unavailable', message);
  }
}
