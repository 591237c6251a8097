import { STATUS_CODES } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { CredentialKind } from './auth/principal.js';
import type { FaceDefinition, FaceName } from './faces/face.js';
import type { FaceRegistry } from './faces/face-registry.js';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

/** The generated OpenAPI documents (all faces, and one per face), kept so routes can serve them. */
export class OpenApiDocumentHolder {
  document?: OpenAPIObject;
  readonly byFace = new Map<FaceName, OpenAPIObject>();
}

type Responses = Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
interface Operation {
  responses?: Responses;
  tags?: string[];
  summary?: string;
  operationId?: string;
  security?: Record<string, string[]>[];
  'x-face'?: FaceName;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'search'] as const;
const errorSchemaName = (face: FaceDefinition): string => `${face.name[0]!.toUpperCase()}${face.name.slice(1)}Error`;
/** `/users/{uid}` as the router writes it: `/users/:uid`. */
const routerPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

/** "AdminUsersController_updateRole" → "Update role". */
function summaryOf(operationId: string | undefined, method: string, path: string): string {
  const name = operationId?.split('_').pop();
  if (!name) return `${method.toUpperCase()} ${path}`;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
}

/**
 * Security alternatives of an authenticated route: one requirement per credential kind it accepts
 * (the schemes of one credential, such as the API key's three headers, in one requirement).
 */
function securityOf(face: FaceDefinition, accepts: readonly CredentialKind[]): Record<string, string[]>[] {
  return accepts
    .map((kind) => Object.fromEntries((face.securitySchemes ?? []).filter((s) => s.credential === kind).map((s) => [s.name, []])))
    .filter((requirement) => Object.keys(requirement).length);
}

/**
 * Completes what decorators leave implicit, per face: each operation's tag (its face when it has
 * none), a summary, its security requirements (none for public routes), the face's error body as
 * the default response and on error responses declared without a body, and a description for
 * every response. Returns the complete document.
 */
export function completeDocument(doc: OpenAPIObject, faces: FaceRegistry): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.securitySchemes ??= {};
  for (const face of faces.all()) {
    if (face.errorSchema) doc.components.schemas[errorSchemaName(face)] ??= face.errorSchema as never;
    for (const s of face.securitySchemes ?? []) doc.components.securitySchemes[s.name] ??= s.scheme as never;
  }
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const route = faces.route(method.toUpperCase(), routerPath(path));
      const face = faces.get(op['x-face'] ?? route?.face ?? faces.forPath(path).name);
      op['x-face'] = face.name;
      if (!op.tags?.length) op.tags = [face.name];
      op.summary ||= summaryOf(op.operationId, method, path);
      op.security = route?.public || route?.skipAccessControl ? [] : securityOf(face, route?.accepts ?? face.accepts);
      const responses = (op.responses ??= {});
      const errorContent = face.errorSchema ? { 'application/json': { schema: { $ref: `#/components/schemas/${errorSchemaName(face)}` } } } : undefined;
      for (const [status, response] of Object.entries(responses)) {
        if (!response.description?.trim()) response.description = STATUS_CODES[Number(status)] ?? 'Response';
        if (errorContent && Number(status) >= 400 && !response.content) response.content = errorContent;
      }
      if (errorContent && !responses.default) {
        responses.default = { description: `Error in the ${face.title} error format, with the status of the error`, content: errorContent };
      }
    }
  }
  return doc;
}

/** The part of the complete document that belongs to one face (components are shared). */
export function faceDocument(doc: OpenAPIObject, face: FaceDefinition): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    const kept: Record<string, unknown> = {};
    for (const [method, op] of Object.entries(item)) {
      if (METHODS.includes(method as (typeof METHODS)[number]) && (op as Operation)['x-face'] === face.name) kept[method] = op;
    }
    if (Object.keys(kept).length) paths[path] = kept as never;
  }
  return { ...doc, info: { ...doc.info, title: face.title, description: face.description }, paths };
}
