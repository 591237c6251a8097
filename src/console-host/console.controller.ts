import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../core/auth/decorators.js';
import { Face } from '../core/faces/face.js';
import { ConsoleFiles } from './console-files.js';

/** Only the console's own files may run or style the page; nothing inline, nothing from elsewhere. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

const NOT_BUILT = 'The admin console has not been built. Run "npm run build" and restart the service.\n';
const PREFIX = '/console';

/**
 * Serves the admin console (a single-page app built into dist/console) at /console. Paths that
 * name no file and have no extension are client routes and get index.html.
 */
@ApiExcludeController()
@Public()
@Face('service')
@Controller('console')
export class ConsoleController {
  private readonly files = new ConsoleFiles();

  @Get()
  root(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    this.serve(req, reply);
  }

  @Get('*')
  any(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    this.serve(req, reply);
  }

  private serve(req: FastifyRequest, reply: FastifyReply): void {
    reply.header('content-security-policy', CONSOLE_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (!this.files.built()) {
      void reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT);
      return;
    }
    const path = decodedPath(req.url);
    const inside = path !== undefined && (path === PREFIX || path.startsWith(`${PREFIX}/`));
    const relative = inside ? path.slice(PREFIX.length).replace(/^\/+/, '') : undefined;
    const asset = relative ? this.files.file(relative) : undefined;
    if (asset) {
      void reply
        .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .type(asset.type)
        .send(asset.body);
      return;
    }
    // A missing file (a name with an extension) is an error; anything else is a route of the app.
    if (relative === undefined || /\.[a-z0-9]+$/i.test(relative)) {
      void reply.code(404).header('cache-control', 'no-cache').type('text/plain; charset=utf-8').send('Not found.\n');
      return;
    }
    const index = this.files.index()!;
    void reply.header('cache-control', 'no-cache').type(index.type).send(index.body);
  }
}

/** The URL path, percent-decoded; undefined when it cannot be decoded. */
function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url, 'http://local').pathname);
  } catch {
    return undefined;
  }
}
