import { type KeyObject, sign } from 'node:crypto';

/**
 * A JWS signature (ES256 in IEEE P1363 form, RS256 in PKCS#1 v1.5) computed on the libuv thread
 * pool: request paths that mint tokens do not spend the event loop on the curve or RSA arithmetic.
 */
export function signJws(alg: 'ES256' | 'RS256', input: string, privateKey: KeyObject): Promise<string> {
  const key = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const } : privateKey;
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), key, (err, signature) => (err ? reject(err) : resolve(signature.toString('base64url'))));
  });
}
