import type { FastifyInstance, FastifyRequest } from 'fastify';

const MULTIPART = /^multipart\/form-data(?:\s*;|$)/i;

/** Whether the request says its body is `multipart/form-data`. */
export function isMultipart(req: FastifyRequest): boolean {
  return MULTIPART.test(String(req.headers['content-type'] ?? ''));
}

/**
 * Multipart bodies are accepted on every route and left unread: the upload routes read them with
 * their own limits (identity/documents/multipart), the others see no body. @fastify/multipart did
 * the same, and added an async hook to every request and response of every face to delete
 * temporary files that no route here makes.
 */
export function acceptMultipartBodies(instance: FastifyInstance): void {
  instance.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null));
}
