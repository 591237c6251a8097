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

export function scrubSecrets(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (SECRET_KEYS.test(k)) continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? scrubSecrets(v as Record<string, unknown>) : v;
  }
  return out;
}

/** Writes audit rows. Pass the EntityManager of the transaction that makes the change. */
@Injectable()
export class ActivitiesService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The INSERT of one activity as SQL, with its parameters numbered from `firstParam`, for a caller
   * that writes it in the same statement as its change (a CTE): one round trip, still atomic.
   */
  insertStatement(input: ActivityInput, firstParam: number): { sql: string; params: unknown[] } {
    const params = [
      uuidv7(),
      input.userId,
      input.category ?? 'user',
      input.targetUid ?? null,
      input.topic,
      input.action,
      input.result,
      input.meta.ip,
      input.meta.userAgent,
      input.data ? JSON.stringify(input.data) : null,
    ];
    const placeholders = params.map((_, i) => `$${firstParam + i}`).join(', ');
    return {
      sql: `INSERT INTO activities (id, user_id, category, target_uid, topic, action, result, user_ip, user_agent, data) VALUES (${placeholders})`,
      params,
    };
  }

  async record(input: ActivityInput, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(Activity, {
      userId: input.userId,
      category: input.category ?? 'user',
      targetUid: input.targetUid ?? null,
      topic: input.topic,
      action: input.action,
      result: input.result,
      userIp: input.meta.ip,
      userAgent: input.meta.userAgent,
      data: input.data ? JSON.stringify(input.data) : null,
    });
  }
}
