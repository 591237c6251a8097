import { S3FileStorage } from './s3-file-storage.js';

type Call = { url: string; init: RequestInit };

function fakeFetch(responses: Response[]): { fetcher: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetcher = (async (url: string | URL, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    return responses.shift() ?? new Response(null, { status: 200 });
  }) as typeof fetch;
  return { fetcher, calls };
}

const base = { provider: 's3' as const, bucket: 'kyc-files', accessKey: 'AKIAIOSFODNN7EXAMPLE', secretKey: 'secret', region: 'eu-central-1' };

describe('S3FileStorage', () => {
  it('addresses objects path-style or virtual-hosted', () => {
    const path = new S3FileStorage({ ...base, endpoint: 'http://127.0.0.1:9000', pathStyle: true });
    expect(path.objectUrl('documents/ID1/a.png')).toBe('http://127.0.0.1:9000/kyc-files/documents/ID1/a.png');
    const hosted = new S3FileStorage({ ...base, pathStyle: false });
    expect(hosted.objectUrl('documents/ID1/a.png')).toBe('https://kyc-files.s3.eu-central-1.amazonaws.com/documents/ID1/a.png');
    expect(() => hosted.objectUrl('../etc/passwd')).toThrow('invalid storage key');
  });

  it('signs PUT with the payload hash, returns null for a missing object, tolerates deleting one', async () => {
    const { fetcher, calls } = fakeFetch([
      new Response(null, { status: 200 }),
      new Response(Buffer.from('hello'), { status: 200 }),
      new Response('<Error/>', { status: 404 }),
      new Response('<Error/>', { status: 404 }),
    ]);
    const s3 = new S3FileStorage({ ...base, endpoint: 'https://minio.example', pathStyle: true }, fetcher);
    await s3.put('documents/ID1/a.png', Buffer.from('hello'), 'image/png');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(calls[0]!.init.method).toBe('PUT');
    expect(headers['x-amz-content-sha256']).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(headers['content-type']).toBe('image/png');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-central-1\/s3\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(headers.host).toBeUndefined();
    expect((await s3.get('documents/ID1/a.png'))?.toString()).toBe('hello');
    expect(await s3.get('documents/ID1/missing.png')).toBeNull();
    await expect(s3.delete('documents/ID1/missing.png')).resolves.toBeUndefined();
  });

  it('fails loudly on other errors', async () => {
    const { fetcher } = fakeFetch([new Response('denied', { status: 403 })]);
    const s3 = new S3FileStorage({ ...base, pathStyle: true }, fetcher);
    await expect(s3.put('documents/x.png', Buffer.from('x'), 'image/png')).rejects.toThrow('HTTP 403');
  });
});
