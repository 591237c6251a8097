import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestMeta } from '../http/request-context.js';
import { Activity, ActivityCategory, ActivityResult } from './activity.entity.js';

export interface ActivityInput {
  userId: string | null;
  topic: string;
  action: string;
  result: ActivityResult;
  meta: RequestMeta;
  category?: ActivityCategory;
  targetUid?: string | null;
  data?: Record<string, unknown> | null;
}

/** Parameter names whose values never reach the audit log. */
const SECRET_KEYS = /pass|secret|token|otp|code|captcha|signature|nonce|key$/i;

/** Deeper than this, a value is recorded as a marker (request bodies are depth-limited at parse time anyway). */
const MAX_SCRUB_DEPTH = 16;

export function scrubSecrets(data: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (SECRET_KEYS.test(k)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = depth >= MAX_SCRUB_DEPTH ? '[nested]' : scrubSecrets(v as Record<string, unknown>, depth + 1);
    } else out[k] = v;
  }
  return out;
}

/** PostgreSQL text cannot hold NUL: it is recorded as the visible escape `\\u0000`, so the row is never lost. */
export function storableText(value: string): string;
export function storableText(value: string | null): string | null;
export function storableText(value: string | null): string | null {
  return value !== null && value.includes('\0') ? value.replace(/\0/g, '\\u0000') : value;
}

/**
 * Writes audit rows. Pass the EntityManager of the transaction that makes the change. The insert
 * takes no lock beyond its own row; the sealer chains the row once its transaction has committed.
 */
@Injectable()
export class ActivitiesService {
  constructor(private readonly dataSource: DataSource) {}

  async record(input: ActivityInput, manager: EntityManager = this.dataSource.manager): Promise<void> {
    // Whatever the client sent, the audit row is written: text PostgreSQL refuses is escaped.
    await manager.insert(Activity, {
      userId: input.userId,
      category: input.category ?? 'user',
      targetUid: storableText(input.targetUid ?? null)?.slice(0, 16) ?? null,
      topic: storableText(input.topic).slice(0, 64),
      action: storableText(input.action).slice(0, 64),
      result: input.result,
      userIp: storableText(input.meta.ip).slice(0, 64),
      userAgent: storableText(input.meta.userAgent),
      data: input.data ? JSON.stringify(input.data) : null,
    });
  }
}
