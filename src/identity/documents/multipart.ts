import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/http/app-error.js';

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

interface MultipartPart {
  type: 'file' | 'field';
  fieldname: string;
  value?: unknown;
  filename?: string;
  mimetype?: string;
  file?: AsyncIterable<Buffer> & { truncated?: boolean };
}

/**
 * Reads a multipart body: text fields (the last value of a name wins) and the files of the given
 * field names, each buffered up to `maxBytes` (the rest is read and dropped, so the request
 * completes and the caller can answer with its own error code).
 */
export async function readMultipart(req: FastifyRequest, fileFields: string[], maxBytes: number): Promise<MultipartForm> {
  const withParts = req as FastifyRequest & { isMultipart?: () => boolean; parts?: () => AsyncIterable<MultipartPart> };
  if (!withParts.isMultipart?.() || !withParts.parts) return { fields: {}, files: [] };
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  try {
    for await (const part of withParts.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value ?? '');
        continue;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let kept = 0;
      for await (const chunk of part.file!) {
        size += chunk.length;
        if (kept + chunk.length <= maxBytes) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      }
      if (!fileFields.includes(part.fieldname)) continue;
      files.push({
        field: part.fieldname,
        filename: part.filename ?? '',
        mimetype: part.mimetype ?? 'application/octet-stream',
        bytes: Buffer.concat(chunks),
        tooLarge: size > maxBytes || !!part.file!.truncated,
        size,
      });
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw AppError.unprocessable('resource.documents.too_many_files');
    }
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw AppError.unprocessable('resource.documents.invalid_file_size');
    if (err instanceof AppError) throw err;
    // Anything else the multipart reader raises is a malformed body (no boundary, a wrong one, a
    // truncated part), not a server fault.
    throw AppError.badRequest('resource.documents.invalid_multipart');
  }
  return { fields, files };
}
