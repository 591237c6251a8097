import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

/**
 * A documented, optional body field. The platform face checks values itself (Streambird's error
 * types); the decorator only keeps the field through the global whitelist.
 */
export const Field = (description: string, example?: unknown): PropertyDecorator => {
  const doc = ApiPropertyOptional({ description, ...(example !== undefined ? { example } : {}) });
  const keep = IsOptional();
  return (target, key) => {
    doc(target, key);
    keep(target, key);
  };
};

export class SessionArgsDto {
  @Field('Minutes (5…525600): create a session, or move the expiry of the given one', 60) session_expires_in?: unknown;
  @Field('An existing session to add the factor to') session_token?: unknown;
  @Field('An existing session, by its JWT (may be past exp)') session_jwt?: unknown;
  @Field('{ip, user_agent}') device_fingerprint?: unknown;
}
