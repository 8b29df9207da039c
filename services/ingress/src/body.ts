import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { HttpProblem } from './problem';

/** Deeper than this is not a job request but an attack on whoever walks the tree. */
export const MAX_JSON_DEPTH = 32;

/**
 * Read a JSON request body: the media type must be JSON (415), the body within the limit (413,
 * checked against Content-Length before reading and while reading), well formed (400), and not
 * nested absurdly deep (400).
 */
export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  if (!ctx.request.is('application/json', 'application/*+json')) {
    throw new HttpProblem(
      'unsupportedMediaType',
      `send the body as application/json (got ${ctx.get('content-type') === '' ? 'no Content-Type' : JSON.stringify(ctx.get('content-type').slice(0, 100))})`,
    );
  }
  const charset = ctx.request.charset;
  if (charset && charset.toLowerCase() !== 'utf-8') {
    throw new HttpProblem('unsupportedMediaType', 'the body must be UTF-8');
  }
  let text: string;
  try {
    text = await getRawBody(ctx.req, {
      limit: limitBytes,
      encoding: 'utf8',
      length: ctx.get('content-length') || null,
    });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      throw new HttpProblem('tooLarge', `the body must be at most ${limitBytes} bytes`);
    }
    throw new HttpProblem('badRequest', 'the body could not be read in full');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpProblem('malformedJson', `the body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  if (depthExceeds(value, MAX_JSON_DEPTH)) {
    throw new HttpProblem('malformedJson', `the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

/** Iterative, so a hostile body cannot blow the stack while being measured. */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
