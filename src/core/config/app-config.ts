import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, Env, EnvReader } from './env-parsers.js';
import { type KycConfig, loadKycConfig } from './kyc-config.js';

/** The one typed configuration object. Nothing else in the code base reads process.env. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  runMigrations: boolean;
  embeddedPostgresPort: number;
  smtpUrl?: string;
  mailFrom: string;
  smsWebhookUrl?: string;
  redisUrl?: string;
  adminEmail: string;
  adminPassword?: string;
  trustedProxies: string[];
  secretKey: string;
  publicUrl: string;
  /** Where the web front end lives; links in mails point there (Barong: https://<BARONG_DOMAIN>). */
  frontendUrl: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** Operations: log format, the metrics endpoint's token, the drain period before shutdown. */
  ops: OpsConfig;
  /** How often each instance looks for due mail and SMS; 0 turns the worker off (tests drain by hand). */
  outboxPollMs: number;
  /** Threads that hash passwords (argon2id), at a lower scheduling priority than the event loop. */
  passwordHashThreads: number;
  /** The activity log's hash chain, partitions and retention. */
  audit: AuditConfig;
  /** Barong's Event API: where events are published (unset: no events are written). */
  eventApiRabbitmqUrl?: string;
  /** Mail and SMS to one destination (address or number), across all accounts; 0 turns a cap off. */
  messageLimits: { perHour: number; perDay: number };
  /** How long an undelivered message keeps its content; then its secret parts are erased. */
  outboxRetentionSeconds: number;
  build: { gitSha: string; buildDate: string };
  jwt: JwtConfig;
  barong: BarongConfig;
  captcha: CaptchaConfig;
  auth0: Auth0Config;
  /** Documents, upload storage, phones and the KYC provider callback. */
  kyc: KycConfig;
}

export interface AuditConfig {
  /** How often the elected sealer seals new activities; 0 turns it off (tests seal by hand). */
  sealIntervalMs: number;
  /** Whole months of activities kept (older monthly partitions are dropped); undefined keeps all. */
  retentionMonths?: number;
  /** How often partitions are created ahead and retention applied; 0 turns it off. */
  maintenanceIntervalMs: number;
}

export interface OpsConfig {
  /** `text` (Nest's console lines) or `json` (one JSON object per line, with the request id). */
  logFormat: 'text' | 'json';
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** On SIGTERM, readiness fails this long before the listener closes, so balancers stop sending. */
  shutdownGraceMs: number;
}

/** Captcha keys and endpoints (the kind itself is `barong.captcha`). */
export interface CaptchaConfig {
  /** Barong's captcha_protected_endpoints keys. */
  protectedEndpoints: string[];
  recaptchaSiteKey?: string;
  recaptchaSecretKey?: string;
  /** reCAPTCHA v2 siteverify endpoint (overridable for tests and proxies). */
  recaptchaVerifyUrl: string;
  geetestId?: string;
  geetestKey?: string;
  /** Geetest API base URL (register.php, validate.php). */
  geetestApiUrl: string;
  /** How long a call to the captcha provider may take. */
  timeoutMs: number;
}

/** Login with an Auth0 (OpenID Connect) ID token. */
export interface Auth0Config {
  domain?: string;
  clientId?: string;
  /** JWKS location; default https://<domain>/.well-known/jwks.json. */
  jwksUrl?: string;
}

export const CAPTCHA_ENDPOINTS = ['user_create', 'session_create', 'password_reset', 'email_confirmation'] as const;

export interface JwtConfig {
  algorithm: 'ES256' | 'RS256';
  /** An existing private key (PEM, or base64url of a PEM as Barong 3 takes it) to sign with. */
  privateKeyPem?: string;
  /** The longest lifetime of any JWT this service issues, so retired keys stay published long enough. */
  maxLifetimeSeconds: number;
}

export interface BarongConfig {
  appName: string;
  domain: string;
  uidPrefix: string;
  sessionName: string;
  sessionExpireTime: number;
  sessionAbsoluteTime: number;
  passwordRegexp: RegExp;
  passwordMinEntropy: number;
  passwordUseDictionary: boolean;
  csrfProtection: boolean;
  apiKeyNonceLifetime: number;
  jwtExpireTime: number;
  captcha: 'none' | 'recaptcha' | 'geetest';
  phoneVerification: string;
  defaultLanguage: string;
  loginMaxFailuresPerEmail: number;
  loginMaxFailuresPerIp: number;
  loginFailureWindowSeconds: number;
  /** Failures on one account from all IPs together before it asks for a captcha (or answers 429). */
  loginMaxFailuresPerAccount: number;
  loginAccountWindowSeconds: number;
  /** Registrations from one client IP per hour; 0 turns the limit off. */
  registrationLimitPerIp: number;
  resetTokenLifetime: number;
  confirmationTokenLifetime: number;
  corsOrigins: string[];
  corsAllowCredentials: boolean;
  corsMaxAge: number;
  /** Mask profile last names and birth dates in user-facing views (admin views are unmasked). */
  apiDataMaskingEnabled: boolean;
  /** An admin who authored a profile may not decide on it unless their role is in profileVerificationRoles. */
  profileDoubleVerification: boolean;
  profileVerificationRoles: string[];
  /** Titles users may write to their data storage (Barong's user_storage_titles); empty refuses all. */
  userStorageTitles: string[];
  /** Gateway pass list: path prefixes answered 200 without a JWT (BARONG_AUTHZ_PASS_RULES). */
  authzPassRules: string[];
  /** Gateway block list: path prefixes always refused (BARONG_AUTHZ_BLOCK_RULES). */
  authzBlockRules: string[];
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Barong's authz_rules.yml defaults (2.6 pass list plus 3.0's peatio swagger). */
export const DEFAULT_AUTHZ_PASS_RULES = [
  'api/v2/barong/public',
  'api/v2/barong/identity',
  'api/v2/peatio/public',
  'api/v2/peatio/swagger',
  'api/v2/ranger/public',
  'api/v2/applogic/public',
  'api/v2/arke/public',
  'api/v2/finex/public',
];
export const DEFAULT_AUTHZ_BLOCK_RULES = ['api/v2/barong/management', 'api/v2/peatio/management'];

/** Barong's default: one lower, one upper, one digit, one printable graph char, 8 to 80 long. */
const DEFAULT_PASSWORD_REGEXP = '^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)(?=.*[\\x21-\\x7e]).{8,80}$';

function validateCidr(name: string, value: string): void {
  const [addr, bits, ...rest] = value.split('/');
  const family = isIP(addr ?? '');
  const max = family === 6 ? 128 : 32;
  const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
  if (!family || rest.length || !okBits) throw new ConfigError(`${name} has an invalid address or CIDR "${value}"`);
}

/** SECRET_KEY seals secrets at rest. Development keeps a generated one under the data dir. */
function resolveSecretKey(reader: EnvReader, nodeEnv: string, dataDir: string): string {
  const given = reader.optional('SECRET_KEY');
  if (given) {
    if (given.length < 32) throw new ConfigError('SECRET_KEY must be at least 32 characters');
    return given;
  }
  if (nodeEnv === 'production') throw new ConfigError('SECRET_KEY is required in production');
  const file = join(dataDir, 'secret_key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

function decodePem(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  if (!decoded.includes('-----BEGIN')) throw new ConfigError('JWT_PRIVATE_KEY must be a PEM private key or its base64url encoding');
  return decoded;
}

function captchaEndpoints(list: string[]): string[] {
  for (const e of list) {
    if (!(CAPTCHA_ENDPOINTS as readonly string[]).includes(e)) {
      throw new ConfigError(`BARONG_CAPTCHA_PROTECTED_ENDPOINTS has an unknown endpoint "${e}" (known: ${CAPTCHA_ENDPOINTS.join(', ')})`);
    }
  }
  return list;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const dataDir = resolve(r.string('DATA_DIR', '.data'));
  const trustedProxies = r.list('TRUSTED_PROXIES');
  trustedProxies.forEach((p) => validateCidr('TRUSTED_PROXIES', p));

  let passwordRegexp: RegExp;
  const rawRegexp = r.string('BARONG_PASSWORD_REGEXP', DEFAULT_PASSWORD_REGEXP);
  try {
    passwordRegexp = new RegExp(rawRegexp);
  } catch {
    throw new ConfigError('BARONG_PASSWORD_REGEXP is not a valid regular expression');
  }
  const uidPrefix = r.string('BARONG_UID_PREFIX', 'ID').toUpperCase();
  if (!/^[A-Z]{2,6}$/.test(uidPrefix)) throw new ConfigError('BARONG_UID_PREFIX must be 2 to 6 letters');
  const port = r.int('PORT', 3000, 0, 65535);
  const corsOrigins = r.list('BARONG_API_CORS_ORIGINS', ['*']);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/\S+$/.test(origin)) {
      throw new ConfigError(`BARONG_API_CORS_ORIGINS has an invalid origin "${origin}"`);
    }
  }

  return {
    nodeEnv,
    port,
    host: r.string('HOST', '0.0.0.0'),
    dataDir,
    databaseUrl: r.url('DATABASE_URL', ['postgres', 'postgresql']),
    runMigrations: r.bool('RUN_MIGRATIONS', true),
    embeddedPostgresPort: r.int('EMBEDDED_POSTGRES_PORT', 54329, 1024, 65535),
    smtpUrl: r.url('SMTP_URL', ['smtp', 'smtps']),
    mailFrom: r.string('MAIL_FROM', 'Barong <noreply@barong.io>'),
    smsWebhookUrl: r.url('SMS_WEBHOOK_URL', ['http', 'https']),
    redisUrl: r.url('REDIS_URL', ['redis', 'rediss']),
    adminEmail: r.string('ADMIN_EMAIL', 'admin@barong.io').toLowerCase(),
    adminPassword: r.optional('ADMIN_PASSWORD'),
    trustedProxies,
    secretKey: resolveSecretKey(r, nodeEnv, dataDir),
    publicUrl: r.string('PUBLIC_URL', `http://localhost:${port}`).replace(/\/$/, ''),
    build: { gitSha: r.string('GIT_SHA', 'unknown'), buildDate: r.string('BUILD_DATE', new Date().toISOString()) },
    outboxPollMs: r.int('OUTBOX_POLL_MS', 1000, 0),
    passwordHashThreads: r.int('PASSWORD_HASH_THREADS', availableParallelism(), 1, 64),
    audit: {
      sealIntervalMs: r.int('ACTIVITY_SEAL_INTERVAL_MS', 1000, 0),
      retentionMonths: r.optional('ACTIVITY_RETENTION_MONTHS') === undefined ? undefined : r.int('ACTIVITY_RETENTION_MONTHS', 0, 1, 1200),
      maintenanceIntervalMs: r.int('ACTIVITY_MAINTENANCE_INTERVAL_MS', 3_600_000, 0),
    },
    eventApiRabbitmqUrl: r.url('EVENT_API_RABBITMQ_URL', ['amqp', 'amqps']) ?? r.url('AMQP_URL', ['amqp', 'amqps']),
    messageLimits: {
      perHour: r.int('MESSAGE_LIMIT_PER_DESTINATION_HOUR', 5, 0),
      perDay: r.int('MESSAGE_LIMIT_PER_DESTINATION_DAY', 20, 0),
    },
    outboxRetentionSeconds: r.int('OUTBOX_RETENTION_SECONDS', 86400, 60),
    frontendUrl: r.string('FRONTEND_URL', `https://${r.string('BARONG_DOMAIN', 'openware.com')}`).replace(/\/$/, ''),
    logLevel: r.oneOf('LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'] as const, 'log'),
    ops: {
      logFormat: r.oneOf('LOG_FORMAT', ['text', 'json'] as const, 'text'),
      metricsToken: r.optional('METRICS_TOKEN'),
      shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 0, 0, 120_000),
    },
    jwt: {
      algorithm: r.oneOf('BARONG_JWT_ALGORITHM', ['ES256', 'RS256'] as const, 'ES256'),
      privateKeyPem: decodePem(r.optional('JWT_PRIVATE_KEY')),
      maxLifetimeSeconds: r.int('JWT_MAX_LIFETIME', 86400, 60),
    },
    kyc: loadKycConfig(r),
    barong: {
      appName: r.string('BARONG_APP_NAME', 'Barong'),
      domain: r.string('BARONG_DOMAIN', 'openware.com'),
      uidPrefix,
      sessionName: r.string('BARONG_SESSION_NAME', '_barong_session'),
      sessionExpireTime: r.int('BARONG_SESSION_EXPIRE_TIME', 1800, 1),
      sessionAbsoluteTime: r.int('BARONG_SESSION_ABSOLUTE_TIME', 86400, 60),
      passwordRegexp,
      passwordMinEntropy: r.int('BARONG_PASSWORD_MIN_ENTROPY', 14, 0),
      passwordUseDictionary: r.bool('BARONG_PASSWORD_USE_DICTIONARY', true),
      csrfProtection: r.bool('BARONG_CSRF_PROTECTION', true),
      apiKeyNonceLifetime: r.int('BARONG_APIKEY_NONCE_LIFETIME', 5000, 1),
      jwtExpireTime: r.int('BARONG_JWT_EXPIRE_TIME', 3600, 1),
      captcha: r.oneOf('BARONG_CAPTCHA', ['none', 'recaptcha', 'geetest'] as const, 'none'),
      phoneVerification: r.oneOf('BARONG_PHONE_VERIFICATION', ['sms'] as const, 'sms'),
      defaultLanguage: r.string('BARONG_DEFAULT_LANGUAGE', 'en'),
      loginMaxFailuresPerEmail: r.int('BARONG_LOGIN_MAX_FAILURES_PER_EMAIL', 5, 1),
      loginMaxFailuresPerIp: r.int('BARONG_LOGIN_MAX_FAILURES_PER_IP', 30, 1),
      loginFailureWindowSeconds: r.int('BARONG_LOGIN_FAILURE_WINDOW', 60, 1),
      loginMaxFailuresPerAccount: r.int('BARONG_LOGIN_MAX_FAILURES_PER_ACCOUNT', 50, 1),
      loginAccountWindowSeconds: r.int('BARONG_LOGIN_ACCOUNT_WINDOW', 900, 1),
      registrationLimitPerIp: r.int('BARONG_REGISTRATION_LIMIT_PER_IP', 50, 0),
      resetTokenLifetime: r.int('BARONG_RESET_TOKEN_LIFETIME', 3600, 60),
      confirmationTokenLifetime: r.int('BARONG_CONFIRMATION_TOKEN_LIFETIME', 86400, 60),
      corsOrigins,
      corsAllowCredentials: r.bool('BARONG_API_CORS_ALLOW_CREDENTIALS', false),
      corsMaxAge: r.int('BARONG_API_CORS_MAX_AGE', 3600, 0),
      authzPassRules: r.list('BARONG_AUTHZ_PASS_RULES', DEFAULT_AUTHZ_PASS_RULES).map((p) => p.replace(/^\/+/, '')),
      authzBlockRules: r.list('BARONG_AUTHZ_BLOCK_RULES', DEFAULT_AUTHZ_BLOCK_RULES).map((p) => p.replace(/^\/+/, '')),
      apiDataMaskingEnabled: r.bool('BARONG_API_DATA_MASKING_ENABLED', true),
      profileDoubleVerification: r.bool('BARONG_PROFILE_DOUBLE_VERIFICATION', false),
      profileVerificationRoles: r.list('BARONG_PROFILE_VERIFICATION_ROLES', ['superadmin']),
      userStorageTitles: r.list('BARONG_USER_STORAGE_TITLES', r.list('USER_STORAGE_TITLES')),
    },
    captcha: {
      protectedEndpoints: captchaEndpoints(r.list('BARONG_CAPTCHA_PROTECTED_ENDPOINTS', [...CAPTCHA_ENDPOINTS])),
      recaptchaSiteKey: r.optional('BARONG_RECAPTCHA_SITE_KEY'),
      recaptchaSecretKey: r.optional('BARONG_RECAPTCHA_SECRET_KEY'),
      recaptchaVerifyUrl: r.url('BARONG_RECAPTCHA_VERIFY_URL', ['http', 'https']) ?? 'https://www.google.com/recaptcha/api/siteverify',
      geetestId: r.optional('BARONG_GEETEST_ID'),
      geetestKey: r.optional('BARONG_GEETEST_KEY'),
      geetestApiUrl: (r.url('BARONG_GEETEST_API_URL', ['http', 'https']) ?? 'http://api.geetest.com').replace(/\/$/, ''),
      timeoutMs: r.int('BARONG_CAPTCHA_TIMEOUT_MS', 5000, 100, 60000),
    },
    auth0: {
      domain: r.optional('BARONG_AUTH0_DOMAIN')?.replace(/^https?:\/\//, '').replace(/\/$/, ''),
      clientId: r.optional('BARONG_AUTH0_CLIENT_ID'),
      jwksUrl: r.url('BARONG_AUTH0_JWKS_URL', ['http', 'https']),
    },
  };
}
