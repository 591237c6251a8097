import { createHash } from 'node:crypto';
import type { StorageConfig } from '../../../core/config/kyc-config.js';
import { assertSafeKey, FileStorage } from './file-storage.js';
import { signV4, uriEncode } from './sigv4.js';

type Fetch = typeof fetch;

/**
 * An S3-compatible bucket (AWS, MinIO, Ceph, R2, ...) over plain HTTPS with SigV4 signing.
 * Path-style addressing (`<endpoint>/<bucket>/<key>`) when configured, else virtual-hosted style.
 */
export class S3FileStorage extends FileStorage {
  private readonly endpoint: URL;

  constructor(
    private readonly config: StorageConfig,
    private readonly fetcher: Fetch = fetch,
  ) {
    super();
    this.endpoint = new URL(config.endpoint ?? `https://s3.${config.region}.amazonaws.com`);
  }

  /** The object URL for a key (exposed for tests). */
  objectUrl(key: string): string {
    assertSafeKey(key);
    const path = key.split('/').map((s) => uriEncode(s)).join('/');
    const base = new URL(this.endpoint.toString());
    const prefix = base.pathname.replace(/\/$/, '');
    if (this.config.pathStyle) {
      base.pathname = `${prefix}/${uriEncode(this.config.bucket)}/${path}`;
    } else {
      base.hostname = `${this.config.bucket}.${base.hostname}`;
      base.pathname = `${prefix}/${path}`;
    }
    return base.toString();
  }

  private async send(method: string, key: string, body?: Buffer, contentType?: string): Promise<Response> {
    const url = this.objectUrl(key);
    const payloadHash = createHash('sha256').update(body ?? Buffer.alloc(0)).digest('hex');
    const headers: Record<string, string> = { 'x-amz-content-sha256': payloadHash };
    if (contentType) headers['content-type'] = contentType;
    const signed = signV4(
      { method, url, headers, payloadHash },
      { accessKeyId: this.config.accessKey!, secretAccessKey: this.config.secretKey!, region: this.config.region, service: 's3' },
    );
    const { host: _host, ...sendHeaders } = signed.headers;
    return this.fetcher(url, { method, headers: sendHeaders, body: body ? new Uint8Array(body) : undefined, signal: AbortSignal.timeout(30_000) });
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const res = await this.send('PUT', key, bytes, contentType);
    if (!res.ok) throw new Error(`storage PUT failed with HTTP ${res.status}`);
    await res.arrayBuffer().catch(() => undefined);
  }

  async get(key: string): Promise<Buffer | null> {
    const res = await this.send('GET', key);
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      return null;
    }
    if (!res.ok) throw new Error(`storage GET failed with HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.send('DELETE', key);
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok && res.status !== 404) throw new Error(`storage DELETE failed with HTTP ${res.status}`);
  }
}
