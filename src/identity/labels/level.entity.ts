import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Level n is reached when the private labels of levels 1..n are all present (Barong §4.3). */
@Entity('levels')
@Index('uq_levels_key_value', ['key', 'value'], { unique: true })
export class Level {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'varchar', length: 255 })
  value: string;

  @Column({ type: 'text' })
  description: string;
}
