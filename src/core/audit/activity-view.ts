import type { Activity } from './activity.entity.js';

/** Barong's `Activity` entity as every face renders it. */
export interface ActivityView {
  id: string;
  user_ip: string;
  user_ip_country: string | null;
  user_agent: string;
  topic: string;
  action: string;
  result: string;
  data: string | null;
  created_at: string;
}

export function activityView(a: Activity): ActivityView {
  return {
    id: a.id,
    user_ip: a.userIp,
    user_ip_country: a.userIpCountry,
    user_agent: a.userAgent,
    topic: a.topic,
    action: a.action,
    result: a.result,
    data: a.data,
    created_at: a.createdAt.toISOString(),
  };
}
