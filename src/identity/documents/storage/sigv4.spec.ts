import { createHash } from 'node:crypto';
import { EMPTY_SHA256, signV4 } from './sigv4.js';

/**
 * Vectors published by AWS: the S3 header-auth examples (sig-v4-header-based-auth, "Example
 * signature calculations") and `get-vanilla` from the Signature Version 4 test suite.
 */
const S3 = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 's3' };
const X_AMZ_DATE = '20130524T000000Z';

describe('SigV4 signer (AWS published vectors)', () => {
  it('S3 GET Object with a Range header', () => {
    const signed = signV4(
      {
        method: 'GET',
        url: 'https://examplebucket.s3.amazonaws.com/test.txt',
        headers: { Range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': X_AMZ_DATE },
        payloadHash: EMPTY_SHA256,
      },
      S3,
    );
    expect(signed.canonicalRequest).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        `x-amz-content-sha256:${EMPTY_SHA256}`,
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
    );
    expect(signed.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('S3 PUT Object (reserved character in the key, signed payload)', () => {
    const body = Buffer.from('Welcome to Amazon S3.');
    const hash = createHash('sha256').update(body).digest('hex');
    expect(hash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const signed = signV4(
      {
        method: 'PUT',
        url: 'https://examplebucket.s3.amazonaws.com/test$file.text',
        headers: {
          Date: 'Fri, 24 May 2013 00:00:00 GMT',
          'x-amz-date': X_AMZ_DATE,
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': hash,
        },
        body,
      },
      S3,
    );
    expect(signed.canonicalRequest.split('\n')[1]).toBe('/test%24file.text');
    expect(signed.signature).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('S3 GET bucket lifecycle (query parameter without a value)', () => {
    const signed = signV4(
      {
        method: 'GET',
        url: 'https://examplebucket.s3.amazonaws.com/?lifecycle',
        headers: { 'x-amz-date': X_AMZ_DATE, 'x-amz-content-sha256': EMPTY_SHA256 },
        payloadHash: EMPTY_SHA256,
      },
      S3,
    );
    expect(signed.canonicalRequest.split('\n')[2]).toBe('lifecycle=');
    expect(signed.signature).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
  });

  it('S3 list objects (sorted query parameters)', () => {
    const signed = signV4(
      {
        method: 'GET',
        url: 'https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2',
        headers: { 'x-amz-date': X_AMZ_DATE, 'x-amz-content-sha256': EMPTY_SHA256 },
        payloadHash: EMPTY_SHA256,
      },
      S3,
    );
    expect(signed.canonicalRequest.split('\n')[2]).toBe('max-keys=2&prefix=J');
    expect(signed.signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('test suite get-vanilla', () => {
    const signed = signV4(
      { method: 'GET', url: 'https://example.amazonaws.com/', headers: { 'X-Amz-Date': '20150830T123600Z' } },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'service' },
    );
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('adds host and x-amz-date from the URL and clock when absent', () => {
    const signed = signV4({ method: 'GET', url: 'http://127.0.0.1:9000/bucket/key' }, S3, new Date('2024-01-02T03:04:05.678Z'));
    expect(signed.headers.host).toBe('127.0.0.1:9000');
    expect(signed.headers['x-amz-date']).toBe('20240102T030405Z');
    expect(signed.headers.authorization).toContain('Credential=AKIAIOSFODNN7EXAMPLE/20240102/us-east-1/s3/aws4_request');
  });
});
