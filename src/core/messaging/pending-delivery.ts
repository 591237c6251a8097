import { Column, CreateDateColumn, PrimaryColumn } from 'typeorm';

/**
 * What every outbox row has: written in the transaction of the change, then delivered by a worker
 * that retries with backoff (attempts, the next try, the last error).
 */
export abstract class PendingDelivery<Status extends string> {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_uuid_v7()' })
  id: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: Status;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
