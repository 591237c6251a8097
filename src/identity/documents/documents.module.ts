import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { PhonesModule } from '../phones/phones.module.js';
import { AdminDocumentsController } from './admin-documents.controller.js';
import { Document } from './document.entity.js';
import { DocumentsService } from './documents.service.js';
import { KycController } from './kyc.controller.js';
import { KycService } from './kyc.service.js';
import { PiiIndex } from './pii-index.js';
import { ResourceDocumentsController } from './resource-documents.controller.js';
import { FileStorage } from './storage/file-storage.js';
import { LocalFileStorage } from './storage/local-file-storage.js';
import { S3FileStorage } from './storage/s3-file-storage.js';

/** KYC documents and address proofs (uploads, storage), phones, the KYC provider callback. */
@Module({
  imports: [TypeOrmModule.forFeature([Document]), PhonesModule],
  controllers: [ResourceDocumentsController, AdminDocumentsController, KycController],
  providers: [
    {
      provide: FileStorage,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig): FileStorage =>
        c.kyc.storage.provider === 's3' ? new S3FileStorage(c.kyc.storage) : new LocalFileStorage(join(c.dataDir, 'uploads')),
    },
    PiiIndex,
    DocumentsService,
    KycService,
  ],
  exports: [DocumentsService, FileStorage],
})
export class DocumentsModule {}
