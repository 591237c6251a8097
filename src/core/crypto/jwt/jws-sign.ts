import { type KeyObject, sign } from 'node:crypto';

/** The key as node:crypto takes it for a JWS algorithm: ES256 signatures are the raw r||s pair (IEEE P1363), not DER. */
export function jwsKey(alg: 'ES256' | 'RS256', key: KeyObject): KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' } {
  return alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key;
}

/**
 * A JWS signature (ES256 in IEEE P1363 form, RS256 in PKCS#1 v1.5) computed on the libuv thread
 * pool: request paths that mint tokens do not spend the event loop on the curve or RSA arithmetic.
 */
export function signJws(alg: 'ES256' | 'RS256', input: string, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), jwsKey(alg, privateKey), (err, signature) => (err ? reject(err) : resolve(signature.toString('base64url'))));
  });
}
