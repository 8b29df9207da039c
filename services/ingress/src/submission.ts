import Ajv2020 from 'ajv/dist/2020';
import {
  toFieldErrors,
  type FieldError,
  type JobOptions,
  type JobTypeCatalog,
  type JobTypeDefinition,
} from '@longhaul/job-types';
import { checkWebhookUrl, type OutboundRules } from '@longhaul/outbound';
import { submitJobSchema, type SubmitJobBody } from './api-schemas';
import { HttpProblem } from './problem';
import { secretKey } from '@longhaul/webhooks';
import { resolvedTarget, type TargetChecks } from './webhook-target';

/** A request that passed every check: what acceptJob needs, nothing the client sent unchecked. */
export interface Submission {
  readonly type: JobTypeDefinition;
  /** The payload as JSON text, exactly what the handler will get. */
  readonly payload: string;
  readonly options: JobOptions;
  readonly webhook: { url: string; events: string[]; secret: string | null } | null;
}

/**
 * Every check of a job submission. The webhook host is resolved (DNS) only once everything else
 * passed, so a bad request costs no lookup and an IP literal never needs one.
 */
export function createSubmissionValidator(catalog: JobTypeCatalog, rules: OutboundRules, targets: TargetChecks) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const checkShape = ajv.compile<SubmitJobBody>(submitJobSchema);

  return async function validateSubmission(body: unknown): Promise<Submission> {
    if (!checkShape(body)) {
      throw invalid('the request does not have the shape of a job submission', toFieldErrors(checkShape.errors, ''));
    }
    const type = catalog.get(body.type);
    if (!type) {
      throw invalid(`unknown job type; known types: ${catalog.names.join(', ')}`, [
        { pointer: '/type', message: 'is not a known job type' },
      ]);
    }
    const errors: FieldError[] = [...catalog.checkPayload(type, body.payload)];
    const options = catalog.resolveOptions(type, body.options ?? {});
    if (!options.ok) errors.push(...options.errors);
    let webhook: Submission['webhook'] = null;
    let target: URL | null = null;
    if (body.webhook) {
      const check = checkWebhookUrl(body.webhook.url, rules);
      if (!check.ok) errors.push({ pointer: '/webhook/url', message: check.reason });
      const secret = body.webhook.secret ?? null;
      if (secret !== null) {
        try {
          secretKey(secret);
        } catch (err) {
          errors.push({ pointer: '/webhook/secret', message: (err as Error).message });
        }
      }
      if (check.ok) {
        target = check.url;
        webhook = { url: check.url.href, events: body.webhook.events ?? [], secret };
      }
    }
    if (errors.length > 0 || !options.ok) throw invalid(`the request is not a valid ${type.name} job`, errors);
    if (target) await resolvedTarget(targets, target, '/webhook/url');
    return { type, payload: JSON.stringify(body.payload), options: options.value, webhook };
  };
}

function invalid(detail: string, errors: FieldError[]): HttpProblem {
  return new HttpProblem('validation', detail, { errors });
}

export type ValidateSubmission = ReturnType<typeof createSubmissionValidator>;
