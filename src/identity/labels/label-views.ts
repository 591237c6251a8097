import { ApiProperty } from '@nestjs/swagger';
import type { Label } from './label.entity.js';
import type { Level } from './level.entity.js';

export class LabelView {
  @ApiProperty({ example: 'email', description: 'Label key, 3-255 characters of [a-z0-9_-]' })
  key: string;

  @ApiProperty({ example: 'verified', description: 'Label value, 3-255 characters of [a-z0-9_-]' })
  value: string;

  @ApiProperty({ enum: ['public', 'private'] })
  scope: string;

  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' })
  updated_at: string;
}

export class AdminLabelView extends LabelView {
  @ApiProperty({ nullable: true, type: String, description: 'Free text (often JSON) about the label' })
  description: string | null;
}

export class LevelView {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'email' }) key: string;
  @ApiProperty({ example: 'verified' }) value: string;
}

export function labelView(l: Label): LabelView {
  return { key: l.key, value: l.value, scope: l.scope, created_at: l.createdAt.toISOString(), updated_at: l.updatedAt.toISOString() };
}

export function adminLabelView(l: Label): AdminLabelView {
  const v = labelView(l);
  return { key: v.key, value: v.value, scope: v.scope, description: l.description, created_at: v.created_at, updated_at: v.updated_at };
}

export function levelView(l: Level): LevelView {
  return { id: l.id, key: l.key, value: l.value };
}
