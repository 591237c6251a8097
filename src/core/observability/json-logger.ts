import type { LoggerService, LogLevel } from '@nestjs/common';
import { logContext } from './log-context.js';

/** Values that must never reach a log line, whatever a message happens to contain. */
const SECRETS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
  [/("?(?:password|old_password|new_password|confirm_password|secret|secret_key|token|otp_code|code|csrf_token|authorization|cookie)"?\s*[:=]\s*)("[^"]*"|[^\s,;&}]+)/gi, '$1"[redacted]"'],
  [/(_barong_session=)[^;\s]+/g, '$1[redacted]'],
];

export function redact(text: string): string {
  return SECRETS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/**
 * One JSON object per line (LOG_FORMAT=json): time, level, context, message, the request id of the
 * request being served (if any) and, for errors, the stack. Secrets are redacted.
 */
export class JsonLogger implements LoggerService {
  private levels: Set<LogLevel>;

  constructor(
    levels: LogLevel[],
    private readonly write: (line: string) => void = (line) => void process.stdout.write(line),
  ) {
    this.levels = new Set(levels);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', message, rest);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.levels.has(level) && !(level === 'fatal' && this.levels.has('error'))) return;
    // Nest passes the context last; an error's stack comes before it.
    const args = [...rest];
    const context = args.length && typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const stack = level === 'error' || level === 'fatal' ? args.find((a): a is string => typeof a === 'string') : undefined;
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, context, message: redact(text ?? '') };
    const requestId = logContext.getStore()?.requestId;
    if (requestId) line.request_id = requestId;
    if (stack || message instanceof Error) line.stack = redact(stack ?? (message as Error).stack ?? '');
    this.write(JSON.stringify(line) + '\n');
  }
}
