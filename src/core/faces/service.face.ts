import type { FaceDefinition } from './face.js';

/** The service's own routes that belong to no API face: documentation, health, key sets. */
export const SERVICE_FACE: FaceDefinition = {
  name: 'service',
  title: 'Service',
  description: 'Health, documentation and published keys.',
  prefixes: ['/docs', '/docs-json', '/health', '/.well-known'],
  accessPolicy: 'none',
  accepts: [],
  renderError: (_status, codes) => ({ errors: codes }),
  errorSchema: {
    type: 'object',
    required: ['errors'],
    properties: { errors: { type: 'array', items: { type: 'string' }, example: ['record.not_found'] } },
  },
};
