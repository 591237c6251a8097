import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '../database/uuid.js';
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

  /** The row an input becomes; text PostgreSQL refuses is escaped, so the audit row is always written. */
  private row(input: ActivityInput) {
    return {
      id: uuidv7(),
      userId: input.userId,
      category: input.category ?? 'user',
      targetUid: storableText(input.targetUid ?? null)?.slice(0, 16) ?? null,
      topic: storableText(input.topic).slice(0, 64),
      action: storableText(input.action).slice(0, 64),
      result: input.result,
      userIp: storableText(input.meta.ip).slice(0, 64),
      userAgent: storableText(input.meta.userAgent),
      data: input.data ? JSON.stringify(input.data) : null,
    };
  }

  /**
   * The INSERT of one activity as SQL with numbered parameters from `firstParam`, for callers that
   * write it in the same statement as their change (a CTE), saving a round trip on hot paths.
   */
  insertStatement(input: ActivityInput, firstParam: number): { sql: string; params: unknown[] } {
    const r = this.row(input);
    const params = [r.id, r.userId, r.category, r.targetUid, r.topic, r.action, r.result, r.userIp, r.userAgent, r.data];
    const placeholders = params.map((_, k) => `$${firstParam + k}`).join(', ');
    return {
      sql: `INSERT INTO activities (id, user_id, category, target_uid, topic, action, result, user_ip, user_agent, data) VALUES (${placeholders})`,
      params,
    };
  }

  async record(input: ActivityInput, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(Activity, this.row(input));
  }
}
