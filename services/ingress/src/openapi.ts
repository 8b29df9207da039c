import { jobStatuses, webhookEventTypes } from '@longhaul/contracts';
import type { JobTypeDefinition } from '@longhaul/job-types';
import { submitJobSchema } from './api-schemas';
import { adminPaths, adminSchemas } from './openapi-admin';
import { webhookPaths, webhookSchemas } from './openapi-webhooks';
import { common, dateTime, idParam, json, jobId, nullable, problem, ref, retryAfter } from './openapi-parts';
import { problemTypes } from './problem';

/**
 * The OpenAPI 3.1 document of the API, built from the same schemas the code validates with and
 * the same catalog of job types. Served at GET /openapi.json; integration tests check real
 * responses against it.
 */

const problemShape = {
  type: 'object',
  required: ['type', 'title', 'detail'],
  properties: { type: { type: 'string' }, title: { type: 'string' }, detail: { type: ['string', 'null'] } },
};

export function buildOpenApi(jobTypes: readonly JobTypeDefinition[]) {
  const jobSchema = {
    type: 'object',
    additionalProperties: false,
    required: [
      'id',
      'type',
      'status',
      'progress',
      'attempt',
      'maxAttempts',
      'nextAttemptAt',
      'attempts',
      'checkpoint',
      'result',
      'error',
      'cancelRequested',
      'createdAt',
      'startedAt',
      'finishedAt',
      'webhook',
      'redriveOf',
      'redrivenAs',
      'links',
    ],
    properties: {
      id: jobId,
      type: { type: 'string' },
      status: { enum: [...jobStatuses] },
      progress: nullable({
        type: 'object',
        additionalProperties: false,
        required: ['percent', 'stage', 'message', 'updatedAt'],
        properties: {
          percent: { type: 'number', minimum: 0, maximum: 100 },
          stage: { type: ['string', 'null'] },
          message: { type: ['string', 'null'] },
          updatedAt: dateTime,
        },
      }),
      attempt: { type: 'integer', minimum: 0, description: '0 until the first attempt starts.' },
      maxAttempts: { type: 'integer', minimum: 1 },
      nextAttemptAt: nullable(dateTime),
      attempts: {
        type: 'array',
        description: 'Every failed attempt with its error, oldest first.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['attempt', 'error', 'failedAt'],
          properties: { attempt: { type: 'integer', minimum: 1 }, error: problemShape, failedAt: dateTime },
        },
      },
      checkpoint: nullable({
        type: 'object',
        additionalProperties: false,
        required: ['summary', 'sizeBytes', 'at'],
        description: 'The last checkpoint the job saved (its contents stay with the processor).',
        properties: { summary: { type: ['string', 'null'] }, sizeBytes: { type: 'integer', minimum: 0 }, at: dateTime },
      }),
      result: { description: 'The handler’s result, when succeeded; else null.' },
      error: nullable(problemShape),
      cancelRequested: { type: 'boolean' },
      createdAt: dateTime,
      startedAt: nullable(dateTime),
      finishedAt: nullable(dateTime),
      webhook: nullable({
        type: 'object',
        additionalProperties: false,
        required: ['url', 'events'],
        properties: { url: { type: 'string' }, events: { type: 'array', items: { enum: [...webhookEventTypes] } } },
      }),
      redriveOf: nullable({ ...jobId, description: 'The dead-lettered job this one runs again.' }),
      redrivenAs: nullable({ ...jobId, description: 'The new job this failed one was redriven as.' }),
      links: ref('JobLinks'),
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Longhaul job API',
      version: '1.0.0',
      description:
        'Submit long-running work, get 202 Accepted at once, and follow the job by status queries. ' +
        'Every error is an RFC 9457 problem document.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ apiKey: [] }],
    paths: {
      '/v1/jobs': {
        post: {
          operationId: 'submitJob',
          summary: 'Submit a job',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Same key and body → the same job and response (kept 24 h, per tenant).',
              schema: { type: 'string', minLength: 1, maxLength: 257 },
            },
          ],
          requestBody: { required: true, content: json(ref('SubmitJob')) },
          responses: {
            '202': {
              description: 'Accepted: the request is durably queued.',
              headers: {
                Location: { description: 'Where to follow the job.', schema: { type: 'string' } },
                ...retryAfter,
              },
              content: json(ref('Accepted')),
            },
            '400': problem('Malformed JSON or a bad header.'),
            '409': problem('A request with this Idempotency-Key is still in flight.', retryAfter),
            '413': problem('The body is over the limit.'),
            '415': problem('The body is not UTF-8 JSON.'),
            '422': problem('The job type, payload, options or webhook are not valid, or the key was reused.'),
            ...common,
          },
        },
        get: {
          operationId: 'listJobs',
          summary: "List the tenant's jobs, newest first",
          description: 'Reads the projected read model, which may lag a moment behind acceptance.',
          parameters: [
            { name: 'status', in: 'query', schema: { enum: [...jobStatuses] } },
            { name: 'type', in: 'query', schema: { enum: jobTypes.map((t) => t.name) } },
            { name: 'createdAfter', in: 'query', schema: dateTime },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'A page of jobs.', content: json(ref('JobList')) },
            '400': problem('A query parameter is not valid.'),
            ...common,
          },
        },
      },
      '/v1/jobs/{id}': {
        parameters: [idParam],
        get: {
          operationId: 'getJob',
          summary: 'A job’s status (read-your-writes: found right after its 202)',
          parameters: [{ name: 'If-None-Match', in: 'header', schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The job.',
              headers: { ETag: { schema: { type: 'string' } }, ...retryAfter },
              content: json(ref('Job')),
            },
            '304': { description: 'Unchanged since the ETag given.' },
            '404': problem('No such job for this tenant.'),
            ...common,
          },
        },
      },
      '/v1/jobs/{id}/cancel': {
        parameters: [idParam],
        post: {
          operationId: 'cancelJob',
          summary: 'Ask to cancel a job (repeatable)',
          responses: {
            '202': { description: 'Cancellation requested.', content: json(ref('Job')) },
            '404': problem('No such job for this tenant.'),
            '409': problem('The job has already finished.'),
            ...common,
          },
        },
      },
      '/v1/jobs/{id}/events': {
        parameters: [idParam],
        get: {
          operationId: 'streamJobEvents',
          summary: 'Server-sent events: the job’s current state, then each change, ending after the final one',
          description:
            'Events `job.state` (the current state, first), then status and progress changes: `job.started`, `job.progress`, `job.retrying`, `job.succeeded`, `job.failed`, `job.cancelled`; `data` is the job snapshot, the event id its `sequence`. With `Last-Event-ID` the stream sends the current state if it is newer than that id (the changes in between are not replayed), then continues. A comment every 15 s keeps the connection open.',
          parameters: [{ name: 'Last-Event-ID', in: 'header', schema: { type: 'string', pattern: '^[0-9]{1,9}$' } }],
          responses: {
            '200': {
              description: 'The event stream.',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            '400': problem('The Last-Event-ID is not one this stream sent.'),
            '404': problem('No such job for this tenant.'),
            ...common,
          },
        },
      },
      ...webhookPaths,
      ...adminPaths,
      '/openapi.json': {
        get: { operationId: 'openapi', security: [], responses: { '200': { description: 'This document.' } } },
      },
      '/healthz': {
        get: { operationId: 'healthz', security: [], responses: { '200': { description: 'The process answers.' } } },
      },
      '/readyz': {
        get: {
          operationId: 'readyz',
          security: [],
          responses: { '200': { description: 'Started and ready.' }, '503': { description: 'Not ready yet.' } },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          security: [],
          responses: { '200': { description: 'Prometheus text exposition.', content: { 'text/plain': {} } } },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (an admin key under /v1/admin/).' },
      },
      schemas: {
        SubmitJob: {
          ...submitJobSchema,
          oneOf: jobTypes.map((t) => ({
            title: t.name,
            description: t.description,
            properties: { type: { const: t.name }, payload: t.payloadSchema },
          })),
        },
        Accepted: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'type', 'status', 'createdAt', 'links'],
          properties: {
            id: jobId,
            type: { type: 'string' },
            status: { const: 'queued' },
            createdAt: dateTime,
            links: ref('JobLinks'),
          },
        },
        Job: jobSchema,
        JobList: {
          type: 'object',
          additionalProperties: false,
          required: ['items', 'nextCursor', 'links'],
          properties: {
            items: { type: 'array', items: ref('Job') },
            nextCursor: { type: ['string', 'null'] },
            links: {
              type: 'object',
              required: ['self', 'next'],
              properties: { self: { type: 'string' }, next: { type: ['string', 'null'] } },
            },
          },
        },
        ...webhookSchemas,
        ...adminSchemas,
        JobLinks: {
          type: 'object',
          additionalProperties: false,
          required: ['self', 'cancel'],
          properties: { self: { type: 'string' }, cancel: { type: 'string' } },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { enum: Object.values(problemTypes).map((p) => p.type) },
            title: { type: 'string' },
            status: { type: 'integer', minimum: 400, maximum: 599 },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['pointer', 'message'],
                properties: { pointer: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}
