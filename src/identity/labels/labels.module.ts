import { Module } from '@nestjs/common';

/** Label, profile, data-storage and comment endpoints (user and admin faces). */
@Module({})
export class LabelsModule {}
