import { Module } from '@nestjs/common';
import { FaceRegistry } from '../core/faces/face-registry.js';
import { BARONG_FACE } from './barong/barong.face.js';
import { PermissionsModule } from './permissions/permissions.module.js';

/**
 * Access control: the permissions table and its compiled matcher, restrictions, the global
 * permission guard, the admin API and the gateway authorization endpoint.
 */
@Module({
  imports: [PermissionsModule],
  exports: [PermissionsModule],
})
export class AccessModule {
  constructor(faces: FaceRegistry) {
    faces.register(BARONG_FACE);
  }
}
