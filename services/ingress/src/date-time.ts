/** An RFC 3339 date-time with a zone (what the API documents as `format: date-time`). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** The instant, or undefined when the text is not an RFC 3339 date-time. */
export function parseDateTime(text: string): Date | undefined {
  if (!RFC3339.test(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
