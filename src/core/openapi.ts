import { STATUS_CODES } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

/** The generated OpenAPI document, kept so routes (e.g. Barong's swagger_doc) can serve it. */
export class OpenApiDocumentHolder {
  document?: OpenAPIObject;
}

const BARONG_ERROR_SCHEMA = {
  type: 'object',
  required: ['errors'],
  properties: { errors: { type: 'array', items: { type: 'string' }, example: ['identity.session.invalid_params'] } },
};

type Responses = Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;

/**
 * Completes what decorators leave implicit: every /api operation documents its error body
 * (Barong's `{"errors": [...]}`, the same for every route) as the default response, error responses
 * declared without a body get that schema, and a response without a description gets the status text.
 */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.BarongErrors ??= BARONG_ERROR_SCHEMA;
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/BarongErrors' } } };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const op of Object.values(item) as { responses?: Responses }[]) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const responses = (op.responses ??= {});
      for (const [status, response] of Object.entries(responses)) {
        if (!response.description?.trim()) response.description = STATUS_CODES[Number(status)] ?? 'Response';
        if (path.startsWith('/api/') && Number(status) >= 400 && !response.content) response.content = errorContent;
      }
      if (path.startsWith('/api/') && !responses.default) {
        responses.default = { description: 'Error: `{"errors": ["<code>", ...]}` with the status of the error', content: errorContent };
      }
    }
  }
  return doc;
}
