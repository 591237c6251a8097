/** What an upload really is, judged by its first bytes (never by its name or declared type). */
export interface SniffedType {
  /** The canonical extension for the content. */
  ext: 'png' | 'jpg' | 'pdf';
  contentType: string;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PDF = Buffer.from('%PDF-', 'ascii');

export function sniffFileType(bytes: Buffer): SniffedType | null {
  if (bytes.subarray(0, PNG.length).equals(PNG)) return { ext: 'png', contentType: 'image/png' };
  if (bytes.subarray(0, JPEG.length).equals(JPEG)) return { ext: 'jpg', contentType: 'image/jpeg' };
  // PDF readers accept the header within the first KiB; so do we, and nothing else before it but whitespace.
  const head = bytes.subarray(0, 1024);
  const at = head.indexOf(PDF);
  if (at >= 0 && head.subarray(0, at).every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c || b === 0x00)) {
    return { ext: 'pdf', contentType: 'application/pdf' };
  }
  return null;
}

/** The lower-cased extension of a client file name ('' when none). */
export function extensionOf(filename: string | undefined): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(filename ?? '');
  return m ? m[1]!.toLowerCase() : '';
}

/** jpg and jpeg are the same content type. */
export function extensionMatches(ext: string, sniffed: SniffedType): boolean {
  if (sniffed.ext === 'jpg') return ext === 'jpg' || ext === 'jpeg';
  return ext === sniffed.ext;
}
