import type { FastifyReply } from 'fastify';

export const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Answers with JSON text serialised once and kept (a cached view polled by every client): Fastify
 * sends a string with a JSON content type as it is, without serialising it again.
 */
export function jsonText(reply: FastifyReply, json: string): string {
  void reply.type(JSON_UTF8);
  return json;
}
