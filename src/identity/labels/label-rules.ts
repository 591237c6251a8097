import { normalizeLabelPart } from './labels.service.js';

const LABEL_FORMAT = /^[a-z0-9_-]+$/;

function partErrors(name: 'key' | 'value', raw: string): string[] {
  const s = normalizeLabelPart(raw);
  const out: string[] = [];
  if (s.length < 3) out.push(`${name}.too_short`);
  if (s.length > 255) out.push(`${name}.too_long`);
  if (!LABEL_FORMAT.test(s)) out.push(`${name}.invalid`);
  return out;
}

/** Barong's Label validations (after lower-casing and squishing): 3-255 characters of [a-z0-9_-]. */
export function labelErrors(input: { key?: string; value?: string; scope?: string }): string[] {
  const out: string[] = [];
  if (input.scope !== undefined && input.scope !== 'public' && input.scope !== 'private') out.push('scope.inclusion');
  if (input.key !== undefined) out.push(...partErrors('key', input.key));
  if (input.value !== undefined) out.push(...partErrors('value', input.value));
  return out;
}

export function isValidLabelKey(key: string): boolean {
  return partErrors('key', key).length === 0;
}
