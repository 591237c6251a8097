import { DynamicModule, Global, Module } from '@nestjs/common';
import { FaceRegistry } from './face-registry.js';
import { SERVICE_FACE } from './service.face.js';

/**
 * Provides the one FaceRegistry of the application. It is created before Nest (so errors Fastify
 * raises before any route runs can already be rendered per face) and handed in here.
 */
@Global()
@Module({})
export class FacesModule {
  static forRoot(registry: FaceRegistry): DynamicModule {
    if (!registry.has('service')) registry.register(SERVICE_FACE);
    return { module: FacesModule, providers: [{ provide: FaceRegistry, useValue: registry }], exports: [FaceRegistry] };
  }
}
