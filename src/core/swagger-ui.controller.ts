import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from './auth/decorators.js';
import { AppError } from './http/app-error.js';

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
  <title>Barong API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css" />
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/docs-json',
      dom_id: '#swagger-ui',
      deepLinking: true,
      withCredentials: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout'
    });
  </script>
</body>
</html>`;

/** Swagger UI from the swagger-ui-dist package, reading the generated document at /docs-json. */
@ApiExcludeController()
@Public()
@Controller('docs')
export class SwaggerUiController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get(':asset')
  @Header('cache-control', 'public, max-age=86400')
  asset(@Param('asset') asset: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
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
