import { Busboy, type BusboyInstance } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/http/app-error.js';
import { isMultipart } from '../../core/http/multipart-bodies.js';

export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  bytes: Buffer;
  /** The file was larger than the buffering limit; `bytes` holds only its start. */
  tooLarge: boolean;
  /** Size in bytes as received (counted to the end even when too large). */
  size: number;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: UploadedFile[];
}

/** Per request: files, text fields and parts in all, and the largest file read at all. */
const LIMITS = { files: 10, fields: 50, parts: 1000, fileSize: 20 * 1024 * 1024 };

const tooManyParts = (): AppError => AppError.unprocessable('resource.documents.too_many_files');
const malformed = (): AppError => AppError.badRequest('resource.documents.invalid_multipart');

/**
 * Reads a multipart body with busboy: text fields (the last value of a name wins) and the files of
 * the given field names, each buffered up to `maxBytes` (the rest is read and dropped, so the
 * request completes and the caller can answer with its own error code). A body over one of the
 * limits is read to its end and refused with 422; a malformed one (no boundary, a wrong one, a
 * truncated part, a field named like an Object property) with 400; an empty body is an empty form.
 * A request that is not multipart has no form (see acceptMultipartBodies).
 */
export function readMultipart(req: FastifyRequest, fileFields: string[], maxBytes: number): Promise<MultipartForm> {
  if (!isMultipart(req)) return Promise.resolve({ fields: {}, files: [] });
  return new Promise((resolve, reject) => {
    let parser: BusboyInstance;
    try {
      parser = new Busboy({ headers: req.headers as { 'content-type': string }, limits: LIMITS });
    } catch {
      reject(malformed());
      return;
    }
    const raw = req.raw;
    const fields: Record<string, string> = {};
    const files: UploadedFile[] = [];
    let refusal: AppError | undefined;
    let sawData = false;
    let settled = false;
    const refuse = (err: AppError): void => {
      refusal ??= err;
    };
    const finish = (err?: AppError): void => {
      if (settled) return;
      settled = true;
      raw.unpipe(parser);
      if (err ?? refusal) {
        // The rest of the body is read and dropped, so the answer reaches the client.
        raw.resume();
        reject(err ?? refusal);
      } else resolve({ fields, files });
    };
    parser.on('field', (name: string, value: string) => {
      if (name in Object.prototype) refuse(malformed());
      else fields[name] = value;
    });
    parser.on('file', (name: string, file: NodeJS.ReadableStream & { truncated?: boolean }, filename: string, _encoding: string, mimetype: string) => {
      // A part cut short: the parser reports it too, and the form is refused as malformed.
      file.on('error', () => refuse(malformed()));
      file.on('limit', () => refuse(AppError.unprocessable('resource.documents.invalid_file_size')));
      if (name in Object.prototype) refuse(malformed());
      // Read and dropped: a file named like an Object property, or in a field the route does not take.
      if (name in Object.prototype || !fileFields.includes(name)) {
        file.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let kept = 0;
      file.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (kept + chunk.length <= maxBytes) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      file.on('end', () => {
        files.push({
          field: name,
          filename: filename ?? '',
          mimetype: mimetype || 'application/octet-stream',
          bytes: Buffer.concat(chunks),
          tooLarge: size > maxBytes || !!file.truncated,
          size,
        });
      });
    });
    for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit']) parser.on(limit, () => refuse(tooManyParts()));
    parser.on('finish', () => finish());
    // An empty body is an empty form, not a truncated one.
    parser.on('error', (err: Error) => finish(!sawData && err.message === 'Unexpected end of multipart data' ? undefined : malformed()));
    raw.once('data', () => (sawData = true));
    // A client that goes away mid-body gets no answer; the read ends.
    raw.on('error', () => finish(malformed()));
    raw.on('aborted', () => finish(malformed()));
    raw.pipe(parser);
  });
}
