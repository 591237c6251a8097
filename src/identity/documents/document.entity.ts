import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';
import { User } from '../users/user.entity.js';

/**
 * One uploaded KYC file (Barong's `documents`). Review status is not here: it lives in the
 * user's private `document` / `address` labels. The document number and metadata are sealed;
 * `docNumberIndex` is a keyed HMAC of the number for equality lookups.
 */
@Entity('documents')
@Index('idx_documents_user_created', ['userId', 'createdAt'])
@Index('idx_documents_identificator', ['identificator'])
@Index('idx_documents_doc_number_index', ['docNumberIndex'])
export class Document extends TimestampedEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** Storage key of the file. */
  @Column({ type: 'varchar', length: 255 })
  upload: string;

  /** Content type detected from the file's bytes. */
  @Column({ type: 'varchar', length: 64 })
  contentType: string;

  /** Canonical extension of the detected type (png, jpg, pdf). */
  @Column({ type: 'varchar', length: 8 })
  fileExt: string;

  @Column({ type: 'int' })
  fileSize: number;

  @Column({ type: 'varchar', length: 64 })
  docType: string;

  /** Sealed document number (null for address proofs). */
  @Column({ type: 'text', nullable: true })
  docNumber: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  docNumberIndex: string | null;

  @Column({ type: 'date', nullable: true })
  docExpire: string | null;

  @Column({ type: 'date', nullable: true })
  docIssue: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  docCategory: string | null;

  /** Groups the files of one submission (front, back, selfie). */
  @Column({ type: 'varchar', length: 64 })
  identificator: string;

  /** Sealed JSON text. */
  @Column({ type: 'text', nullable: true })
  metadata: string | null;
}
