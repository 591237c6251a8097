import { Module } from '@nestjs/common';

/**
 * Access control: the permissions table and its compiled matcher, restrictions, the global
 * permission guard, the admin API and the gateway authorization endpoint.
 */
@Module({})
export class AccessModule {}
