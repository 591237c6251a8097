import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scan as scanForPoison } from 'secure-json-parse';
import type { FaceRegistry } from '../faces/face-registry.js';
import { AppError } from './app-error.js';
import { INVALID_PATH_CODE, originForm, targetProblem } from './canonical-target.js';
import { JSON_UTF8 } from './json-text.js';

/** Deepest nesting of arrays and objects a JSON body may have (no route takes more than a few levels). */
export const MAX_JSON_DEPTH = 32;


/**
 * Whether a JSON text nests deeper than `max`, by one iterative pass over the bytes (strings
 * skipped), so a hostile body is refused before any recursive parser or walker sees it.
 */
export function jsonTooDeep(body: Buffer | string, max = MAX_JSON_DEPTH): boolean {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  // Nesting deeper than `max` takes more than `max` opening brackets; counting them is a native
  // search, so the byte walk below only runs for the rare body that has that many.
  if (openingBracketsAtMost(bytes, max)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Whether `bytes` holds at most `max` of `{` and `[` (inside strings or not). */
function openingBracketsAtMost(bytes: Buffer, max: number): boolean {
  let n = 0;
  for (const c of [0x7b, 0x5b]) {
    for (let i = bytes.indexOf(c); i !== -1; i = bytes.indexOf(c, i + 1)) if (++n > max) return false;
  }
  return true;
}

/** The error body for a request that reached no route, in the dialect of the face its path belongs to. */
function faceBody(faces: FaceRegistry, target: string, status: number, code: string, requestId: string): string {
  const face = faces.forPath(originForm(target));
  const translated = face.translate ? face.translate({ status, codes: [code] }) : { status, codes: [code] };
  return JSON.stringify(face.renderError(translated.status, translated.codes, { requestId }));
}

/**
 * Requests the HTTP parser itself refused (bad request line, raw bytes in the target, a negative
 * Content-Length, bad chunking, headers over the limit): answered in the dialect of the face the
 * target names, without a body for HEAD, and the connection closed as Node does.
 */
export function clientErrorHandler(faces: FaceRegistry) {
  return (error: Error, socket: Socket): void => {
    const err = error as Error & { code?: string; rawPacket?: Buffer };
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const code = status === 431 ? 'server.request.headers_too_large' : status === 408 ? 'server.request.timeout' : 'server.request.invalid';
    const line = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.subarray(0, 8192).toString('latin1').split('\r\n')[0]! : '';
    const [method = '', target = '/'] = line.split(' ');
    const body = method.toUpperCase() === 'HEAD' ? '' : faceBody(faces, target.startsWith('/') || target.includes('://') ? target : '/', status, code, 'client-error');
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: ${JSON_UTF8}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy(err);
  };
}

/**
 * Installs the shared request gate on the Fastify instance, before any other hook or route:
 * targets that are not canonical (see canonical-target) are refused with 400 in the face's
 * dialect, and JSON bodies nested deeper than MAX_JSON_DEPTH are refused at parse time.
 */
export function installRequestGate(instance: FastifyInstance, faces: FaceRegistry): void {
  instance.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!targetProblem(req.url)) return done();
    void reply.code(400).header('content-type', JSON_UTF8).send(faceBody(faces, req.url, 400, INVALID_PATH_CODE, String(req.id)));
  });
}

/** Prototype poisoning is refused, as Fastify's own parser refuses it. */
const POISON_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * The JSON body parser of every face and JSON content type: depth-checked, parsed, and its
 * objects scanned for `__proto__` and `constructor.prototype` keys with secure-json-parse's own
 * scan; an empty body is `{}` where the face says so. Fastify's parser runs the same scan only
 * after two regular-expression passes over the whole text, which cost more than the parse itself
 * on a 1.5 KB session JWT; a body this parser does not take (not JSON, poisoned, a BOM) goes to
 * Fastify's parser, which answers it with its own error or value.
 */
export function depthCheckedJsonParser(instance: FastifyInstance, faces: FaceRegistry) {
  const fastifyParse = instance.getDefaultJsonParser('error', 'error');
  return (req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void): void => {
    if (body.length < 16 && body.toString('utf8').trim() === '' && faces.forPath(req.url ?? '/').emptyJsonBodyIsObject) {
      done(null, {});
      return;
    }
    if (jsonTooDeep(body)) {
      done(AppError.badRequest('server.request.too_deeply_nested'));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
      if (value !== null && typeof value === 'object') scanForPoison(value, POISON_OPTIONS);
    } catch {
      fastifyParse(req, body as unknown as string, done);
      return;
    }
    done(null, value);
  };
}
