import type { OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

/** The generated OpenAPI document, kept so routes (e.g. Barong's swagger_doc) can serve it. */
export class OpenApiDocumentHolder {
  document?: OpenAPIObject;
}
