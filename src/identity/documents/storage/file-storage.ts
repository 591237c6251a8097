/**
 * Where uploaded files live. Keys are relative paths such as `documents/ID123/0190…png`; files
 * are private: they are only ever served through the authenticated admin document route.
 */
export abstract class FileStorage {
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The stored bytes, or null when there is no such file. */
  abstract get(key: string): Promise<Buffer | null>;
  /** Removes the file; removing a missing file is not an error. */
  abstract delete(key: string): Promise<void>;
}

/** Refuses keys that could escape the storage root or a bucket prefix. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(key) || key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
    throw new Error(`invalid storage key "${key}"`);
  }
}
