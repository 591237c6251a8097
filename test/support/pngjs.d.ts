/** The part of pngjs (a dependency of qrcode) the tests use to read PNGs back. */
declare module 'pngjs' {
  export const PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
}
