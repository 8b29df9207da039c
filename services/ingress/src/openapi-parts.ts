/** Building blocks of the OpenAPI document, shared by the job and admin parts. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const problem = (description: string, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: extraHeaders,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
export const json = (schema: unknown) => ({ 'application/json': { schema } });
export const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before asking again.', schema: { type: 'integer' } },
};
export const common = {
  '401': problem('No valid API key.', { 'WWW-Authenticate': { schema: { type: 'string' } } }),
  '403': problem('The key is not valid for this route (admin keys only under /v1/admin/).'),
  '405': problem('The route exists but not with this method.', { Allow: { schema: { type: 'string' } } }),
  '429': problem("The tenant's rate limit is exhausted.", retryAfter),
  '503': problem('A dependency (Kafka or MongoDB) is unavailable; nothing was changed.', retryAfter),
};
export const nullable = (schema: Record<string, unknown>) => ({ oneOf: [{ type: 'null' }, schema] });
export const dateTime = { type: 'string', format: 'date-time' };
export const jobId = {
  type: 'string',
  pattern: '^[0-9A-HJKMNP-TV-Z]{26}$',
  description: 'A ULID: unguessable, sortable by time.',
};
export const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
