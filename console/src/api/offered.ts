/** Whether this service version has an endpoint, from its OpenAPI document (read once). */
let paths: Promise<Set<string>> | undefined;

export function offered(method: 'get' | 'post', path: string): Promise<boolean> {
  paths ??= fetch('/docs-json', { credentials: 'same-origin' })
    .then((r) => (r.ok ? (r.json() as Promise<{ paths?: Record<string, Record<string, unknown>> }>) : { paths: {} }))
    .then((doc) => new Set(Object.entries(doc.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))))
    .catch(() => new Set<string>());
  return paths.then((set) => set.has(`${method} ${path}`));
}
