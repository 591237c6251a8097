import { Module } from '@nestjs/common';

/** KYC documents and address proofs (uploads, storage), phones, the KYC provider callback. */
@Module({})
export class DocumentsModule {}
