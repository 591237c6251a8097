import { Module } from '@nestjs/common';

/** API keys and service accounts, and HMAC request authentication. */
@Module({})
export class ApiKeysModule {}
