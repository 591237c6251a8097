import { Column, Entity, Index } from 'typeorm';
import { TimestampedEntity } from '../../core/database/base.entity.js';

/** An app's credentials at an OAuth provider, and the redirect URLs it allows. */
@Entity('platform_oauth_providers')
@Index('uq_platform_oauth_providers_app_provider', ['appId', 'provider'], { unique: true })
export class PlatformOauthProvider extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ type: 'varchar', length: 512 })
  clientId: string;

  @Column({ type: 'text' })
  clientSecretSealed: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  redirectUrls: string[];
}

/** A one-time `state` of an OAuth begin (hashed), and where to send the user afterwards. */
@Entity('platform_oauth_states')
export class PlatformOauthState extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Index('uq_platform_oauth_states_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  stateHash: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ type: 'text', default: '' })
  loginRedirectUrl: string;

  @Column({ type: 'text', default: '' })
  registrationRedirectUrl: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}

/** The single-use token the provider callback hands the app, redeemed by oauth/verify (hashed). */
@Entity('platform_oauth_tokens')
export class PlatformOauthToken extends TimestampedEntity {
  @Column({ type: 'uuid' })
  appId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Index('uq_platform_oauth_tokens_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ type: 'varchar', length: 255 })
  providerSubject: string;

  @Column({ type: 'uuid', nullable: true })
  emailId: string | null;

  /** Sealed JSON {access_token, refresh_token} of the provider. */
  @Column({ type: 'text' })
  idpTokensSealed: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
