import type { FaceDefinition } from '../../core/faces/face.js';
import { BARONG_FACE } from '../barong/barong.face.js';

/** Barong's authz endpoint for edge proxies: Barong's error body, its own pipeline. */
export const GATEWAY_FACE: FaceDefinition = {
  name: 'gateway',
  title: 'Gateway authorization',
  description: 'Barong\'s authz endpoint for Envoy ext_authz, nginx auth_request and Traefik forwardAuth: 200 with a signed JWT, or the refusal.',
  prefixes: ['/api/v2/auth'],
  accessPolicy: 'permissions',
  accepts: ['session', 'api_key'],
  renderError: BARONG_FACE.renderError,
  errorSchema: BARONG_FACE.errorSchema,
  securitySchemes: BARONG_FACE.securitySchemes,
};
