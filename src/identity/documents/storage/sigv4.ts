import { createHash, createHmac } from 'node:crypto';

/** AWS Signature Version 4 (header-based) for S3-compatible object stores, with node:crypto only. */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
}

export interface SigV4Request {
  method: string;
  /** Full URL; its host, path and query take part in the signature. */
  url: string;
  /** Headers to sign (host and x-amz-date are added when absent). */
  headers?: Record<string, string>;
  /** Hex SHA-256 of the payload, or 'UNSIGNED-PAYLOAD'. Defaults to the hash of `body`. */
  payloadHash?: string;
  body?: Buffer | string;
}

export interface SignedRequest {
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept, everything else %XX). */
export function uriEncode(value: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(ch) || (keepSlash && ch === '/')) out += ch;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The YYYYMMDD'T'HHMMSS'Z' form of a date. */
export const amzDate = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function canonicalPath(pathname: string, service: string): string {
  // S3 signs the path as sent (each segment encoded once); other services normalise and double-encode.
  const decoded = pathname.split('/').map((seg) => decodeURIComponent(seg));
  const encoded = decoded.map((seg) => uriEncode(service === 's3' ? seg : uriEncode(seg)));
  return encoded.join('/') || '/';
}

function canonicalQuery(search: string): string {
  if (!search || search === '?') return '';
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      const v = eq < 0 ? '' : part.slice(eq + 1);
      const dec = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
      return [uriEncode(dec(k)), uriEncode(dec(v))] as const;
    });
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Signs a request at `now`; returns the headers to send (Authorization included). */
export function signV4(req: SigV4Request, creds: SigV4Credentials, now: Date = new Date()): SignedRequest {
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  headers.host ??= url.host;
  headers['x-amz-date'] ??= amzDate(now);
  const stamp = headers['x-amz-date'];
  const date = stamp.slice(0, 8);
  const payloadHash = req.payloadHash ?? sha256(req.body ?? '');

  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalPath(url.pathname, creds.service),
    canonicalQuery(url.search),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${creds.region}/${creds.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256(canonicalRequest)].join('\n');
  const kDate = hmac('AWS4' + creds.secretAccessKey, date);
  const kRegion = hmac(kDate, creds.region);
  const kService = hmac(kRegion, creds.service);
  const kSigning = hmac(kService, 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature };
}
