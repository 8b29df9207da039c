/**
 * Secret-shaped text in free-form strings (error messages and stacks), for the places where
 * structured redaction by field name cannot reach: a driver's error that quotes its connection
 * URL, a library that echoes a header. Field names are redacted by the logger itself.
 */
const PATTERNS: readonly [RegExp, string][] = [
  // Standard Webhooks secrets.
  [/whsec_[A-Za-z0-9+/=_-]+/g, 'whsec_[redacted]'],
  // user:password@ in any URL (mongodb://, http://, kafka SASL URLs…): the password goes.
  [/([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi, '$1:[redacted]@'],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
