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

export function scrubSecrets(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (SECRET_KEYS.test(k)) continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? scrubSecrets(v as Record<string, unknown>) : v;
  }
  return out;
}

/**
 * Writes audit rows. Pass the EntityManager of the transaction that makes the change. The insert
 * takes no lock beyond its own row; the sealer chains the row once its transaction has committed.
 */
@Injectable()
export class ActivitiesService {
  constructor(private readonly dataSource: DataSource) {}

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
