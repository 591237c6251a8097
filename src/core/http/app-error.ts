/**
 * A domain error: one or more stable codes and an HTTP status. Each API face renders it in its
 * own dialect (see core/faces), so domain code never shapes response bodies.
 */
export class AppError extends Error {
  readonly codes: string[];

  constructor(
    readonly status: number,
    codes: string | string[],
    readonly details?: Record<string, unknown>,
  ) {
    const list = Array.isArray(codes) ? codes : [codes];
    super(list.join(', '));
    this.name = 'AppError';
    this.codes = list;
  }

  static badRequest(code: string | string[]): AppError {
    return new AppError(400, code);
  }
  static unauthorized(code: string | string[]): AppError {
    return new AppError(401, code);
  }
  static forbidden(code: string | string[]): AppError {
    return new AppError(403, code);
  }
  static notFound(code: string | string[]): AppError {
    return new AppError(404, code);
  }
  static unprocessable(code: string | string[]): AppError {
    return new AppError(422, code);
  }
  static tooMany(code: string | string[]): AppError {
    return new AppError(429, code);
  }
}
