/** What an error answer of each face looks like; an answer that does not fit is a finding. */

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A code: Barong's dotted codes, some with words (`country.must have alpha2 or alpha3 format`). */
const isCode = (x: unknown): boolean => typeof x === 'string' && /^[\x21-\x7e][\x20-\x7e]*$/.test(x) && x.length <= 200;

function parse(answer: Answer): unknown {
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.includes('json')) return undefined;
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

/** Barong's `{"errors": [codes]}`, and Grape's `{"error": "Route is not found"}` for an unknown route. */
function barongShape(answer: Answer, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return 'not a JSON object';
  const keys = Object.keys(body);
  if (answer.status === 404 && keys.length === 1 && (body as { error?: unknown }).error === 'Route is not found') return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (keys.length !== 1 || !Array.isArray(errors) || !errors.length || !errors.every(isCode)) return 'not {"errors": [codes]}';
  return undefined;
}

/** URnetwork: `{"error": {"message": ...}}`, or a plain-text 400/401 as its Go handlers write them. */
function networkShape(answer: Answer, body: unknown): string | undefined {
  if (body === undefined && (answer.status === 400 || answer.status === 401)) return undefined;
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object' || typeof error.message !== 'string') return 'not {"error": {"message": ...}}';
  return undefined;
}

/** Streambird: `{"status_code", "error_type", "error_message"}` with the status repeated. */
function platformShape(answer: Answer, body: unknown): string | undefined {
  const b = body as { status_code?: unknown; error_type?: unknown; error_message?: unknown } | undefined;
  if (!b || typeof b !== 'object') return 'not a JSON object';
  if (b.status_code !== answer.status || typeof b.error_type !== 'string' || typeof b.error_message !== 'string') {
    return 'not {"status_code", "error_type", "error_message"}';
  }
  return undefined;
}

const SHAPES: Record<string, (answer: Answer, body: unknown) => string | undefined> = {
  barong: barongShape,
  gateway: barongShape,
  service: barongShape,
  network: networkShape,
  platform: platformShape,
};

/** Why an error answer is not in its face's shape, or undefined when it is (or is not an error). */
export function shapeProblem(face: string, answer: Answer): string | undefined {
  if (answer.status < 400) return undefined;
  const check = SHAPES[face];
  if (!check) return `no known error shape for face ${face}`;
  const problem = check(answer, parse(answer));
  return problem ? `${problem}: ${answer.text.slice(0, 200)}` : undefined;
}
