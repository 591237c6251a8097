import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from './auth/decorators.js';
import { AppError } from './http/app-error.js';
import type { FaceName } from './faces/face.js';
import { FaceRegistry } from './faces/face-registry.js';
import { OPENAPI_DOCUMENT, OpenApiDocumentHolder } from './openapi.js';
import { Face } from './faces/face.js';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const assetDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const cache = new Map<string, Buffer>();

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>API documentation</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css" />
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/swagger-init.js"></script>
</body>
</html>`;

/** Swagger UI's start-up, with a document per face in its selector; cookies travel with "Try it out". */
function initScript(faces: FaceRegistry, documents: OpenApiDocumentHolder): string {
  const urls = [
    { url: '/docs-json', name: 'All faces' },
    ...faces
      .all()
      .filter((face) => Object.keys(documents.byFace.get(face.name)?.paths ?? {}).length)
      .map((face) => ({ url: `/docs/${face.name}-json`, name: face.title })),
  ];
  return `window.ui = SwaggerUIBundle({
  urls: ${JSON.stringify(urls)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  withCredentials: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout'
});
`;
}

/** Swagger UI from the swagger-ui-dist package, reading the generated document at /docs-json. */
@ApiExcludeController()
@Public()
@Face('service')
@Controller('docs')
export class SwaggerUiController {
  constructor(
    private readonly faces: FaceRegistry,
    @Inject(OPENAPI_DOCUMENT) private readonly documents: OpenApiDocumentHolder,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get(':asset')
  @Header('cache-control', 'public, max-age=86400')
  asset(@Param('asset') asset: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer | string | object {
    const face = /^([a-z]+)-json$/.exec(asset)?.[1];
    if (face) {
      const document = this.faces.has(face as FaceName) ? this.documents.byFace.get(face as FaceName) : undefined;
      if (!document) throw AppError.notFound('record.not_found');
      reply.header('cache-control', 'no-cache');
      return document;
    }
    if (asset === 'swagger-init.js') {
      reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-cache');
      return initScript(this.faces, this.documents);
    }
    const type = ASSETS[asset];
    if (!type) throw AppError.notFound('record.not_found');
    reply.type(type);
    let body = cache.get(asset);
    if (!body) {
      body = readFileSync(join(assetDir, asset));
      cache.set(asset, body);
    }
    return body;
  }
}
