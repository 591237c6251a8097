import type { Answer } from '../fuzz/face-shapes.js';
import type { HostileRequest } from '../fuzz/hostile-requests.js';

/**
 * Findings that another change (issue 12) fixes: deep JSON nesting, malformed multipart bodies,
 * framework error shapes, database connection loss answered 500 instead of 503. Each entry names
 * the finding and matches it narrowly; the list is emptied once that change is merged, and the
 * tests are strict again.
 */
export const KNOWN_ISSUE_12_FINDINGS: { finding: string; matches(req: HostileRequest | undefined, answer: Answer): boolean }[] = [
  {
    finding: 'JSON nested tens of thousands deep overflows the stack in the body parser (500)',
    matches: (req, answer) => answer.status === 500 && !!req?.mutations.some((m) => m.startsWith('deep nesting')),
  },
  {
    finding: 'a truncated multipart body fails in the multipart reader ("Unexpected end of multipart data", 500)',
    matches: (req, answer) => answer.status === 500 && !!req?.mutations.includes('truncated multipart body'),
  },
  {
    finding: "Fastify's own client-error answer (431 for a request line or headers over 16 KiB) is not in the face's shape",
    matches: (_req, answer) => answer.status === 431 && answer.text.includes('"statusCode":431'),
  },
  {
    finding: 'a lost database connection answers 500 server.internal_error instead of 503',
    matches: (req, answer) => req === undefined && answer.status === 500 && answer.text === '{"errors":["server.internal_error"]}',
  },
];

export function knownIssue12(req: HostileRequest | undefined, answer: Answer): string | undefined {
  return KNOWN_ISSUE_12_FINDINGS.find((k) => k.matches(req, answer))?.finding;
}
