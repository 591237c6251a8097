import fc from 'fast-check';
import type { Operation, Schema } from './openapi-operations.js';

/** One request as it goes on the wire: exact path and query bytes, headers, body bytes. */
export interface HostileRequest {
  method: string;
  /** Path and query, already encoded (or deliberately mis-encoded). */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What was done to the request, for the failure report. */
  mutations: string[];
}

/** Values an attacker types into any string field. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '😀'.repeat(50),
  '\u202Eevil',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '../../../../etc/passwd',
  '%00',
  '%ZZ',
  '${jndi:ldap://127.0.0.1/a}',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e999',
  'true',
  'null',
  '2026-13-45T99:99:99Z',
  '0000-00-00',
  'x'.repeat(256),
  'x'.repeat(5000),
  'é'.repeat(2000),
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'y'.repeat(n)) },
);

/** Numbers PostgreSQL columns and JavaScript cannot both hold. */
const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, -0, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Number tokens JSON allows but no column holds: written into the body text directly. */
const RAW_NUMBER_TOKENS = ['1e999', '-1e999', '123456789012345678901234567890', '0.0000000000000000000000000001', '-0', '1E+400', '9223372036854775808'];

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  hostileString,
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
);

const typeOf = (schema: Schema): string => {
  const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (t) return t;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return 'string';
};

/** A plausible value for a schema: what a well-behaved client would send, with random content. */
export function plausible(schema: Schema, ctx: FuzzContext, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.oneOf?.length || schema.anyOf?.length) {
    const alternatives = (schema.oneOf ?? schema.anyOf)!;
    return fc.oneof(...alternatives.map((s) => plausible(s, ctx, depth + 1)));
  }
  switch (typeOf(schema)) {
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(plausible(schema.items ?? {}, ctx, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 4 || !schema.properties) return fc.constant({});
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties);
      return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, plausible(v, ctx, depth + 1)])), {
        requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
    default:
      return plausibleString(schema, ctx);
  }
}

function plausibleString(schema: Schema, ctx: FuzzContext): fc.Arbitrary<string> {
  if (schema.format === 'email') return fc.oneof(fc.emailAddress(), fc.constantFrom(...ctx.emails));
  if (schema.format === 'date-time' || schema.format === 'date') return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4102444800000) }).map((d) => d.toISOString());
  const examples = typeof schema.example === 'string' ? [schema.example] : [];
  return fc.oneof(fc.constantFrom(...examples, ...ctx.identifiers), fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) }));
}

/** A value of some other JSON type than the schema asks for. */
function wrongType(schema: Schema): fc.Arbitrary<unknown> {
  const t = typeOf(schema);
  const options: fc.Arbitrary<unknown>[] = [fc.constant(null)];
  if (t !== 'string') options.push(hostileString);
  if (t !== 'integer' && t !== 'number') options.push(hostileNumber);
  if (t !== 'boolean') options.push(fc.boolean());
  if (t !== 'array') options.push(fc.array(anyJson, { maxLength: 3 }));
  if (t !== 'object') options.push(fc.dictionary(fc.string({ maxLength: 6 }), anyJson, { maxKeys: 3 }));
  return fc.oneof(...options);
}

/** Nested arrays or objects `depth` deep, as body text (building the value itself would overflow the stack). */
const nestedText = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** What the fuzzer knows about the running service: values that make requests reach deeper code. */
export interface FuzzContext {
  /** Real identifiers (user uids, e-mail addresses, api key ids) to put in paths and fields. */
  identifiers: string[];
  emails: string[];
}

type BodyPlan = { contentType?: string; body?: Buffer; mutation: string };

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

function formEncode(value: unknown): string {
  const out = new URLSearchParams();
  const walk = (v: unknown, key: string): void => {
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, key ? `${key}[${k}]` : k);
    else out.append(key || 'value', String(v));
  };
  walk(value, '');
  return out.toString();
}

function multipart(value: unknown, boundary: string, broken: boolean): Buffer {
  const fields = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [['value', value]];
  const parts = fields.map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${String(k)}"\r\n\r\n${typeof v === 'string' ? v : JSON.stringify(v)}\r\n`,
  );
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n`);
  const text = parts.join('') + (broken ? `--${boundary.slice(0, 3)}` : `--${boundary}--\r\n`);
  return Buffer.from(text, 'latin1');
}

/** Body plans for one operation: a plausible object mutated one way. */
function bodyArb(op: Operation, ctx: FuzzContext): fc.Arbitrary<BodyPlan> {
  const documented = op.bodies.find((b) => b.contentType.includes('json')) ?? op.bodies[0];
  const schema: Schema = documented?.schema ?? { type: 'object', properties: {} };
  const base = plausible(schema, ctx).map((v) => (v && typeof v === 'object' ? v : { value: v }) as Record<string, unknown>);
  const fieldNames = Object.keys(schema.properties ?? {});
  const field = fieldNames.length ? fc.constantFrom(...fieldNames) : fc.constant('value');
  const jsonPlan = (mutation: string, v: fc.Arbitrary<unknown>): fc.Arbitrary<BodyPlan> =>
    v.map((x) => ({ contentType: 'application/json', body: json(x), mutation }));
  return fc.oneof(
    jsonPlan('plausible body', base),
    fc.tuple(base, field).chain(([b, f]) => wrongType(schema.properties?.[f] ?? {}).map((w) => ({ contentType: 'application/json', body: json({ ...b, [f]: w }), mutation: `wrong type in ${f}` }))),
    fc.tuple(base, field, hostileString).map(([b, f, s]) => ({ contentType: 'application/json', body: json({ ...b, [f]: s }), mutation: `hostile string in ${f}` })),
    fc.tuple(base, fc.constantFrom(...RAW_NUMBER_TOKENS)).map(([b, token]) => {
      const text = JSON.stringify(b).replace(/(:)(-?\d+(\.\d+)?|"[^"]*")/, `$1${token}`);
      return { contentType: 'application/json', body: Buffer.from(text.includes(token) ? text : `{"value":${token}}`), mutation: `number ${token}` };
    }),
    fc.tuple(base, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), anyJson, { minKeys: 1, maxKeys: 4 })).map(([b, extra]) => {
      const text = JSON.stringify({ ...b, ...extra }).replace(/^\{/, '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},');
      return { contentType: 'application/json', body: Buffer.from(text), mutation: 'unknown fields and prototype keys' };
    }),
    fc.tuple(fc.constantFrom(64, 1000), fc.constantFrom<'array' | 'object'>('array', 'object'), field).map(([depth, kind, f]) => ({
      contentType: 'application/json',
      body: Buffer.from(`{"${f}":${nestedText(depth, kind)}}`),
      mutation: `nested ${kind} ${depth} deep in ${f}`,
    })),
    fc.constantFrom(50_000, 100_000).map((depth) => ({ contentType: 'application/json', body: Buffer.from(nestedText(depth, 'array')), mutation: `deep nesting ${depth}` })),
    fc.tuple(base, field, fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf0, 0x28, 0x8c, 0x28], [0x00])).map(([b, f, bytes]) => {
      const head = Buffer.from(JSON.stringify({ ...b, [f]: 'A' }).replace(/"A"/, '"A'));
      const rest = head.subarray(head.indexOf('"A') + 2);
      return { contentType: 'application/json', body: Buffer.concat([head.subarray(0, head.indexOf('"A') + 2), Buffer.from(bytes), rest]), mutation: `invalid UTF-8 ${bytes.join(',')} in ${f}` };
    }),
    fc.constantFrom('', ' ', 'null', '[]', '"text"', '123', '{', '{"a":', '{"a":1}}', 'true', '\u0000', '{"a":"\\ud800"}', '{"a":"\\u0000"}').map((text) => ({ contentType: 'application/json', body: Buffer.from(text), mutation: `JSON text ${JSON.stringify(text)}` })),
    fc.constant<BodyPlan>({ contentType: 'application/json', body: Buffer.alloc(0), mutation: 'empty JSON body' }),
    base.map((b) => ({ contentType: undefined, body: json(b), mutation: 'JSON without a content type' })),
    fc.tuple(base, fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=utf-16', 'application/octet-stream', 'garbage', 'multipart/form-data', 'application/x-www-form-urlencoded; charset=ebcdic')).map(([b, ct]) => ({ contentType: ct, body: json(b), mutation: `content type ${ct}` })),
    base.map((b) => ({ contentType: 'application/x-www-form-urlencoded', body: Buffer.from(formEncode(b)), mutation: 'form body' })),
    fc.tuple(base, fc.boolean()).map(([b, broken]) => ({
      contentType: 'multipart/form-data; boundary=fuzzboundary',
      body: multipart(b, 'fuzzboundary', broken),
      mutation: broken ? 'truncated multipart body' : 'multipart body',
    })),
    fc.constantFrom(1.5, 3).map((mb) => ({ contentType: 'application/json', body: Buffer.from(`{"value":"${'z'.repeat(Math.floor(mb * 1024 * 1024))}"}`), mutation: `${mb} MiB JSON body` })),
  );
}

/** A path parameter value, percent-encoded or deliberately not. */
const pathValueArb = (ctx: FuzzContext): fc.Arbitrary<{ raw: string; label: string }> =>
  fc.oneof(
    fc.constantFrom(...ctx.identifiers).map((v) => ({ raw: encodeURIComponent(v), label: v })),
    fc.constantFrom('0', '1', '-1', '99999999999999999999', '1.5', 'null', 'me', 'ID0000000000').map((v) => ({ raw: v, label: v })),
    hostileString.filter((s) => s.length > 0 && s.length < 6000).map((v) => ({ raw: encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '?')), label: `encoded ${JSON.stringify(v.slice(0, 40))}` })),
    fc.constantFrom('%ZZ', '%', '%00', '%C0%AF', '%E0%A4%A', '..', '%2e%2e', 'a%2Fb', '%FF%FE').map((v) => ({ raw: v, label: `raw ${v}` })),
  );

/** The query string: documented parameters with hostile or wrong-typed values, unknown ones, bad escapes. */
function queryArb(op: Operation, ctx: FuzzContext): fc.Arbitrary<{ text: string; mutation: string }> {
  const names = op.params.filter((p) => p.in === 'query');
  const value = (schema: Schema): fc.Arbitrary<string> =>
    fc.oneof(
      plausible(schema, ctx).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      hostileString.filter((s) => s.length < 6000),
      hostileNumber.map(String),
      fc.constantFrom('', 'true', 'false', '[]', '{}', '-1', '1e999'),
    );
  const documented = names.length
    ? fc.array(fc.tuple(fc.constantFrom(...names), fc.nat(2)), { maxLength: names.length + 2 }).chain((picked) =>
        fc.tuple(...picked.map(([p, repeat]) => fc.array(value(p.schema), { minLength: 1, maxLength: repeat + 1 }).map((vs) => vs.map((v) => `${encodeURIComponent(p.name)}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '?'))}`)))),
      )
    : fc.constant([] as string[][]);
  return fc.oneof(
    { weight: 3, arbitrary: documented.map((pairs) => ({ text: pairs.flat().join('&'), mutation: 'documented query parameters' })) },
    fc.constantFrom('a=%ZZ', '%00=1', 'page=%00', 'limit=-1&page=0', 'page=99999999999999999999&limit=1e9', 'uid[]=1&uid[]=2', 'a[b][c]=1', '&&&==', 'x='.padEnd(6000, 'x')).map((text) => ({ text, mutation: `query ${text.slice(0, 40)}` })),
    fc.constant({ text: '', mutation: 'no query' }),
  );
}

/** Extra or broken headers; credentials are added afterwards and may be overridden here. */
const headerArb: fc.Arbitrary<{ headers: Record<string, string>; mutation: string }> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ headers: {}, mutation: 'plain headers' }) },
  fc.constantFrom<Record<string, string>[]>(
    { authorization: 'Bearer ' },
    { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
    { authorization: 'Bearer sk_' + 'a'.repeat(60) },
    { authorization: 'Bearer pk_x' },
    { authorization: 'Basic YWRtaW46YWRtaW4=' },
    { authorization: 'Bearer ' + 'A'.repeat(8000) },
    { 'x-auth-apikey': 'x', 'x-auth-nonce': '-1', 'x-auth-signature': 'zz' },
    { 'x-auth-apikey': "'; --", 'x-auth-nonce': '99999999999999999999', 'x-auth-signature': '' },
    { cookie: '_barong_session=' + 'A'.repeat(4000) },
    { cookie: '_barong_session=%ZZ; a' },
    { 'x-csrf-token': 'ÿ'.repeat(100) },
    { 'x-forwarded-for': 'not-an-ip, 999.1.1.1, ::ffff:zz' },
    { 'x-forwarded-for': '1.1.1.1,'.repeat(500) },
    { 'user-agent': 'é'.repeat(4000) },
    { 'accept-language': 'zz;q=abc,'.repeat(50) },
    { 'x-request-id': 'ÿ'.repeat(300) },
    { origin: 'null' },
  ).map((h) => ({ headers: h, mutation: `headers ${Object.keys(h).join(',')}` })),
);

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Hostile requests for one operation. */
export function hostileRequestArb(op: Operation, ctx: FuzzContext): fc.Arbitrary<HostileRequest> {
  const pathNames = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const pathArb = fc.tuple(...pathNames.map(() => pathValueArb(ctx))).map((values) => {
    let i = 0;
    const path = op.path.replace(/\{[^}]+\}/g, () => values[i++]!.raw);
    return { path, labels: values.map((v, k) => `${pathNames[k]}=${v.label}`) };
  });
  const body = BODY_METHODS.has(op.method) || op.bodies.length ? bodyArb(op, ctx) : fc.constant<BodyPlan>({ mutation: 'no body' });
  return fc.tuple(pathArb, queryArb(op, ctx), headerArb, body).map(([p, q, h, b]) => {
    const headers: Record<string, string> = { ...h.headers };
    if (b.contentType) headers['content-type'] = b.contentType;
    return {
      method: op.method,
      target: p.path + (q.text ? `?${q.text}` : ''),
      headers,
      body: b.body,
      mutations: [...p.labels, q.mutation, h.mutation, b.mutation],
    };
  });
}
