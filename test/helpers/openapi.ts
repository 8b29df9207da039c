import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface Doc {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseSpec> }>>;
  components: { schemas: Record<string, unknown> };
}
interface ResponseSpec {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: unknown }>;
}

/**
 * Checks real responses against the OpenAPI document the ingress serves: the route, method and
 * status must be documented, the content type listed, the body valid against its schema, and
 * documented headers present where the document says the response has them.
 */
export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();
  readonly checked = new Set<string>();

  constructor(private readonly doc: Doc) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: doc.components });
  }

  static async load(baseUrl: string): Promise<OpenApiChecker> {
    const res = await fetch(`${baseUrl}/openapi.json`);
    if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
    return new OpenApiChecker((await res.json()) as Doc);
  }

  /** The documented path template a concrete path matches; a literal segment beats a parameter (as in routers). */
  template(path: string): string | undefined {
    const bare = path.split('?')[0]!;
    const params = (t: string) => (t.match(/\{[^}]+\}/g) ?? []).length;
    return Object.keys(this.doc.paths)
      .filter((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(bare))
      .sort((a, b) => params(a) - params(b))[0];
  }

  /** Problems with this response, or [] when it matches the document. */
  check(method: string, path: string, res: { status: number; headers: Headers; body: unknown }): string[] {
    const template = this.template(path);
    const op = template === undefined ? undefined : this.doc.paths[template]?.[method.toLowerCase()];
    // An undocumented route answers 404, an undocumented method 405: both as problem documents.
    if (!template || !op) {
      const expected = template ? 405 : 404;
      if (res.status !== expected) return [`${method} ${template ?? path} is not documented`];
      const validate = this.validator('Problem', { $ref: '#/components/schemas/Problem' });
      return validate(res.body) ? [] : [`body: ${this.ajv.errorsText(validate.errors)}`];
    }
    const spec = op.responses?.[String(res.status)];
    if (!spec) return [`${method} ${template} does not document status ${res.status}`];
    this.checked.add(`${method} ${template} ${res.status}`);
    const problems: string[] = [];
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (spec.content) {
      const media = spec.content[type];
      if (!media) problems.push(`content type ${type} is not documented for ${res.status}`);
      else if (media.schema) {
        const validate = this.validator(JSON.stringify(media.schema), media.schema);
        if (!validate(res.body)) problems.push(`body: ${this.ajv.errorsText(validate.errors)}`);
      }
    }
    for (const header of Object.keys(spec.headers ?? {})) {
      const optional = header === 'Retry-After' && res.status === 200;
      if (!optional && ['Location', 'ETag', 'Allow', 'WWW-Authenticate'].includes(header) && !res.headers.has(header)) {
        problems.push(`header ${header} is missing`);
      }
    }
    return problems;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      const rewritten = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'),
      ) as object;
      v = this.ajv.compile(rewritten);
      this.cache.set(key, v);
    }
    return v;
  }
}
