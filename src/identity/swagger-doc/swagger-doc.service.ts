import { Inject, Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppError } from '../../core/http/app-error.js';
import { OPENAPI_DOCUMENT, OpenApiDocumentHolder } from '../../core/openapi.js';

const BARONG_PREFIX = '/api/v2/barong/';

/** Serves the generated OpenAPI document, whole or cut down to one Barong API (identity, resource, ...). */
@Injectable()
export class SwaggerDocService {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly holder: OpenApiDocumentHolder) {}

  private document(): OpenAPIObject {
    const doc = this.holder.document;
    if (!doc) throw AppError.notFound('record.not_found');
    return doc;
  }

  whole(): OpenAPIObject {
    return this.document();
  }

  /** The Barong APIs the document has paths for (the first segment after /api/v2/barong/). */
  names(): string[] {
    const names = new Set<string>();
    for (const path of Object.keys(this.document().paths)) {
      if (path.startsWith(BARONG_PREFIX)) names.add(path.slice(BARONG_PREFIX.length).split('/')[0]!);
    }
    return [...names].sort();
  }

  /** The document with only the paths under /api/v2/barong/<name>/ (404 when there are none). */
  forApi(name: string): OpenAPIObject {
    const doc = this.document();
    const prefix = `${BARONG_PREFIX}${name}/`;
    const paths = Object.fromEntries(Object.entries(doc.paths).filter(([path]) => /^[a-z0-9_]+$/.test(name) && path.startsWith(prefix)));
    if (!Object.keys(paths).length) throw AppError.notFound('record.not_found');
    const usedTags = new Set<string>();
    for (const item of Object.values(paths)) {
      for (const op of Object.values(item)) {
        if (op && typeof op === 'object' && Array.isArray((op as { tags?: unknown }).tags)) {
          for (const tag of (op as { tags: string[] }).tags) usedTags.add(tag);
        }
      }
    }
    return {
      ...doc,
      info: { ...doc.info, title: `${doc.info.title}: ${name}` },
      tags: doc.tags?.filter((t) => usedTags.has(t.name)),
      paths,
    };
  }
}
