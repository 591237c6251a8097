import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A hash of an entry the retention job dropped, kept so the chain still links across the gap. */
export interface DroppedEntry {
  seq: string;
  hash: string;
}

/**
 * A verified point of the activity chain: the entry at `seq` has hash `hash`. Verification starts
 * from the oldest one. A retention checkpoint also lists the dropped entries above its `seq`
 * (rows of a dropped month that were sealed after rows of the next month). `mac` binds the
 * checkpoint to the service's key, so rewriting the table cannot move it.
 */
@Entity('activity_checkpoints')
export class ActivityCheckpoint {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'bytea' })
  hash: Buffer;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  dropped: DroppedEntry[];

  @Column({ type: 'varchar', length: 16 })
  reason: 'periodic' | 'retention';

  @Column({ type: 'bytea' })
  mac: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** The end of the chain (one row): the last sealed entry, so deleting the newest entries shows. */
@Entity('activity_chain_head')
export class ActivityChainHead {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id: number;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'bytea' })
  hash: Buffer;

  @Column({ type: 'bytea' })
  mac: Buffer;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Sealed activities counted per UTC day (the metrics rollup), kept by the sealer as it seals. */
@Entity('activity_daily_counts')
export class ActivityDailyCount {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  category: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  topic: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  action: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  result: string;

  @Column({ type: 'bigint', default: 0 })
  n: string;
}
