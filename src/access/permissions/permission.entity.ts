import { BeforeInsert, BeforeUpdate, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * One RBAC rule, as Barong stores it: a role may (ACCEPT), may not (DROP) or is watched (AUDIT)
 * when calling `verb` (or ALL) on any path starting with `path` (no leading slash). The id is an
 * integer because Barong admin clients send numeric ids.
 */
@Entity('permissions')
export class Permission {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Index('idx_permissions_role')
  @Column({ type: 'varchar', length: 64 })
  role: string;

  @Column({ type: 'varchar', length: 16 })
  verb: string;

  @Column({ type: 'varchar', length: 255 })
  path: string;

  @Column({ type: 'varchar', length: 16 })
  action: string;

  @Index('idx_permissions_topic')
  @Column({ type: 'varchar', length: 64, nullable: true })
  topic: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** Barong upper-cases verb and action on save. */
  @BeforeInsert()
  @BeforeUpdate()
  protected normalize(): void {
    if (typeof this.verb === 'string') this.verb = this.verb.toUpperCase();
    if (typeof this.action === 'string') this.action = this.action.toUpperCase();
  }
}
