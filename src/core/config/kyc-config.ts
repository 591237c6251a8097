import { ConfigError, EnvReader } from './env-parsers.js';

/** KYC documents, their storage, phone verification and the KYC provider callback. */
export interface KycConfig {
  /** Barong's `BARONG_UPLOAD_SIZE_MIN_RANGE` is applied as bytes (a Barong quirk kept for parity). */
  uploadMinBytes: number;
  /** `BARONG_UPLOAD_SIZE_MAX_RANGE` in megabytes. */
  uploadMaxBytes: number;
  uploadExtensions: string[];
  docNumLimit: number;
  requiredDocsExpire: boolean;
  /** `document_types` of Barong's config/barong.yml. */
  documentTypes: string[];
  provider: 'local' | 'kycaid';
  webhookSecret?: string;
  storage: StorageConfig;
  phone: PhoneConfig;
}

export interface StorageConfig {
  provider: 'local' | 's3';
  bucket: string;
  accessKey?: string;
  secretKey?: string;
  endpoint?: string;
  region: string;
  pathStyle: boolean;
}

export interface PhoneConfig {
  maxUnverified: number;
  codeMinDelaySeconds: number;
  maxSendRetries: number;
  maxVerifyRetries: number;
  smsTemplate: string;
}

export const DEFAULT_DOCUMENT_TYPES = ['Passport', 'Identity card', 'Driver license', 'Utility Bill', 'Residental', 'Institutional', 'Address'];

export function loadKycConfig(r: EnvReader): KycConfig {
  const storageProvider = r.oneOf('BARONG_STORAGE_PROVIDER', ['local', 's3'] as const, 'local');
  const storage: StorageConfig = {
    provider: storageProvider,
    bucket: r.string('BARONG_STORAGE_BUCKET_NAME', 'local'),
    accessKey: r.optional('BARONG_STORAGE_ACCESS_KEY'),
    secretKey: r.optional('BARONG_STORAGE_SECRET_KEY'),
    endpoint: r.url('BARONG_STORAGE_ENDPOINT', ['http', 'https']),
    region: r.string('BARONG_STORAGE_REGION', 'us-east-1'),
    pathStyle: r.bool('BARONG_STORAGE_PATHSTYLE', false),
  };
  if (storage.provider === 's3' && (!storage.accessKey || !storage.secretKey || storage.bucket === 'local')) {
    throw new ConfigError('BARONG_STORAGE_PROVIDER=s3 needs BARONG_STORAGE_BUCKET_NAME, BARONG_STORAGE_ACCESS_KEY and BARONG_STORAGE_SECRET_KEY');
  }
  const extensions = r.list('BARONG_UPLOAD_EXTENSION_WHITELIST', ['jpg', 'jpeg', 'png', 'pdf']).map((e) => e.toLowerCase().replace(/^\./, ''));
  const unknown = extensions.filter((e) => !['jpg', 'jpeg', 'png', 'pdf'].includes(e));
  if (unknown.length) throw new ConfigError(`BARONG_UPLOAD_EXTENSION_WHITELIST invalid, enabled values: jpg, jpeg, png, pdf`);
  const uploadMinBytes = r.int('BARONG_UPLOAD_SIZE_MIN_RANGE', 1, 0);
  const uploadMaxBytes = r.int('BARONG_UPLOAD_SIZE_MAX_RANGE', 10, 1, 20) * 1024 * 1024;
  const documentTypes = r.list('BARONG_DOCUMENT_TYPES', DEFAULT_DOCUMENT_TYPES);
  return {
    uploadMinBytes,
    uploadMaxBytes,
    uploadExtensions: extensions,
    docNumLimit: r.int('BARONG_DOC_NUM_LIMIT', 10, 1),
    requiredDocsExpire: r.bool('BARONG_REQUIRED_DOCS_EXPIRE', true),
    documentTypes: documentTypes.includes('Address') ? documentTypes : [...documentTypes, 'Address'],
    provider: r.oneOf('BARONG_KYC_PROVIDER', ['local', 'kycaid'] as const, 'local'),
    webhookSecret: r.optional('KYC_WEBHOOK_SECRET'),
    storage,
    phone: {
      maxUnverified: r.int('BARONG_PHONE_MAX_UNVERIFIED', 3, 1),
      codeMinDelaySeconds: r.int('BARONG_PHONE_CODE_MIN_DELAY', 30, 0),
      maxSendRetries: r.int('BARONG_PHONE_MAX_SEND_RETRIES', 5, 1),
      maxVerifyRetries: r.int('BARONG_PHONE_MAX_VERIFY_RETRIES', 10, 1),
      smsTemplate: r.string('BARONG_SMS_CONTENT_TEMPLATE', 'Your verification code for Barong: {{code}}'),
    },
  };
}
