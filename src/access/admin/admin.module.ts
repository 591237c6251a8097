import { Module } from '@nestjs/common';

/** Barong admin API over users: abilities, users, activities, metrics. */
@Module({})
export class AdminModule {}
