import { BeforeInsert, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { uuidv7 } from './uuid.js';

/** UUIDv7 primary key (assigned in the app; the column default covers hand-written SQL). */
export abstract class IdEntity {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_uuid_v7()' })
  id: string;

  @BeforeInsert()
  protected assignId(): void {
    this.id ??= uuidv7();
  }
}

export abstract class TimestampedEntity extends IdEntity {
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
