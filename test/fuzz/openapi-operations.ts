/**
 * The operations of the service's OpenAPI document, flattened for the fuzzer: method, path
 * template, face, parameters and request body schema (with `$ref`s resolved against the
 * document's components).
 */

export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
  example?: unknown;
};

export interface OperationParam {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The path template as documented, `/api/v2/barong/admin/users/{uid}`. */
  path: string;
  face: string;
  operationId: string;
  params: OperationParam[];
  /** Request body content types the operation documents, with their schemas. */
  bodies: { contentType: string; schema: Schema }[];
  /** False when the operation declares no security requirement (a public route). */
  authenticated: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const schemas = doc.components?.schemas ?? {};
  const resolve = (schema: Schema | undefined, depth = 0): Schema => {
    if (!schema || depth > 8) return {};
    if (schema.$ref) return resolve(schemas[schema.$ref.split('/').pop()!], depth + 1);
    const out: Schema = { ...schema };
    if (schema.items) out.items = resolve(schema.items, depth + 1);
    if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1)]));
    if (schema.allOf) {
      const parts = schema.allOf.map((s) => resolve(s, depth + 1));
      out.properties = Object.assign({}, out.properties, ...parts.map((p) => p.properties ?? {}));
      out.required = [...(out.required ?? []), ...parts.flatMap((p) => p.required ?? [])];
      out.type ??= 'object';
    }
    return out;
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as
        | { 'x-face'?: string; operationId?: string; parameters?: Record<string, unknown>[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; security?: unknown[] }
        | undefined;
      if (!op) continue;
      const params = (op.parameters ?? []).map((p) => ({
        name: String(p.name),
        in: p.in as OperationParam['in'],
        required: Boolean(p.required),
        schema: resolve(p.schema as Schema),
      }));
      // Path parameters the document leaves out are still in the template.
      for (const m of path.matchAll(/\{([^}]+)\}/g)) {
        if (!params.some((p) => p.in === 'path' && p.name === m[1])) params.push({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } });
      }
      const bodies = Object.entries(op.requestBody?.content ?? {}).map(([contentType, c]) => ({ contentType, schema: resolve(c.schema) }));
      ops.push({
        method: method.toUpperCase(),
        path,
        face: op['x-face'] ?? 'service',
        operationId: op.operationId ?? `${method} ${path}`,
        params,
        bodies,
        authenticated: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return ops;
}
