import { Module } from '@nestjs/common';

/** Restrictions (whitelist, maintenance, blacklist, blocklogin), screened before everything else. */
@Module({})
export class RestrictionsModule {}
