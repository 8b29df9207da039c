import { common, dateTime, json, jobId, nullable, problem, ref } from './openapi-parts';

/** The operator routes (admin keys only): dead letters and redrive. */
const letterId = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 200 } };

const typeParam = { name: 'type', in: 'path', required: true, schema: { type: 'string' } };
const pauseAction = (action: 'pause' | 'resume') => ({
  parameters: [typeParam],
  post: {
    operationId: `${action}JobType`,
    summary:
      action === 'pause'
        ? 'Pause a job type: processors start none of its jobs (running ones go on) until it resumes'
        : 'Resume a paused job type',
    requestBody: {
      required: false,
      content: json({
        type: 'object',
        additionalProperties: false,
        properties: { reason: { type: 'string', maxLength: 500 } },
      }),
    },
    responses: {
      '200': {
        description: 'The switch as it is now (seen by every processor within seconds).',
        content: json(ref('JobTypeControl')),
      },
      '404': problem('No job type of that name.'),
      '415': problem('The body is not JSON.'),
      '422': problem('The body is not {"reason": "…"}.'),
      ...common,
    },
  },
});

export const adminPaths = {
  '/v1/admin/lag': {
    get: {
      operationId: 'getLag',
      summary: "The processors' consumer-group lag on the requests topic, per partition (what KEDA scales on)",
      responses: {
        '200': { description: 'The lag now.', content: json(ref('Lag')) },
        ...common,
      },
    },
  },
  '/v1/admin/job-types': {
    get: {
      operationId: 'listJobTypeControls',
      summary: 'Every job type and whether it is paused',
      responses: {
        '200': {
          description: 'The job types.',
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['items'],
            properties: { items: { type: 'array', items: ref('JobTypeControl') } },
          }),
        },
        ...common,
      },
    },
  },
  '/v1/admin/job-types/{type}/pause': pauseAction('pause'),
  '/v1/admin/job-types/{type}/resume': pauseAction('resume'),
  '/v1/admin/dead-letters': {
    get: {
      operationId: 'listDeadLetters',
      summary: 'Dead letters, newest first',
      parameters: [
        { name: 'tenant', in: 'query', schema: { type: 'string', maxLength: 100 } },
        { name: 'type', in: 'query', schema: { type: 'string', maxLength: 100 } },
        { name: 'before', in: 'query', description: 'Only letters older than this.', schema: dateTime },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      ],
      responses: {
        '200': {
          description: 'Dead letters.',
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['items'],
            properties: { items: { type: 'array', items: ref('DeadLetter') } },
          }),
        },
        '400': problem('A query parameter is not valid.'),
        ...common,
      },
    },
  },
  '/v1/admin/dead-letters/{id}': {
    parameters: [letterId],
    get: {
      operationId: 'getDeadLetter',
      summary: 'One dead letter (by job id, or by letter id for a message that named no job)',
      responses: {
        '200': { description: 'The dead letter.', content: json(ref('DeadLetter')) },
        '404': problem('No such dead letter.'),
        ...common,
      },
    },
  },
  '/v1/admin/dead-letters/{id}/redrive': {
    parameters: [letterId],
    post: {
      operationId: 'redriveDeadLetter',
      summary: 'Run a dead-lettered job again as a new job (once; repeating answers the same job)',
      responses: {
        '202': { description: 'Redriven: a new job was accepted.', content: json(ref('Redrive')) },
        '200': { description: 'Already redriven: the job it was redriven as.', content: json(ref('Redrive')) },
        '404': problem('No dead letter for that job.'),
        '409': problem('Nothing to run again (an undecodable message, or an unknown job type).'),
        ...common,
      },
    },
  },
  '/v1/admin/dead-letters/redrive': {
    post: {
      operationId: 'redriveDeadLetters',
      summary: 'Redrive up to 100 dead-lettered jobs',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          additionalProperties: false,
          required: ['jobIds'],
          properties: { jobIds: { type: 'array', minItems: 1, maxItems: 100, items: jobId } },
        }),
      },
      responses: {
        '200': {
          description: 'What happened to each.',
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['results'],
            properties: {
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['outcome', 'jobId'],
                  properties: {
                    outcome: { enum: ['redriven', 'already-redriven', 'not-found', 'not-redrivable'] },
                    jobId: { type: 'string' },
                    newJobId: jobId,
                    detail: { type: 'string' },
                  },
                },
              },
            },
          }),
        },
        '415': problem('The body is not JSON.'),
        '422': problem('The body is not {"jobIds": [...]}.'),
        ...common,
      },
    },
  },
};

export const adminSchemas = {
  Lag: {
    type: 'object',
    additionalProperties: false,
    required: ['topic', 'group', 'partitions', 'totalLag', 'measuredAt'],
    properties: {
      topic: { type: 'string' },
      group: { type: 'string' },
      partitions: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['partition', 'startOffset', 'endOffset', 'committedOffset', 'lag'],
          properties: {
            partition: { type: 'integer', minimum: 0 },
            startOffset: { type: 'string', description: 'The first offset the topic still keeps.' },
            endOffset: { type: 'string', description: 'The offset the next message will get.' },
            committedOffset: {
              type: ['string', 'null'],
              description:
                'The group’s committed offset; null before its first commit (it then starts from the first kept message).',
            },
            lag: { type: 'integer', minimum: 0 },
          },
        },
      },
      totalLag: { type: 'integer', minimum: 0 },
      measuredAt: dateTime,
    },
  },
  JobTypeControl: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'paused', 'reason', 'updatedAt'],
    properties: {
      type: { type: 'string' },
      paused: { type: 'boolean' },
      reason: { type: ['string', 'null'] },
      updatedAt: nullable(dateTime),
    },
  },
  DeadLetter: {
    type: 'object',
    additionalProperties: false,
    required: [
      'id',
      'jobId',
      'tenant',
      'type',
      'reason',
      'errors',
      'request',
      'source',
      'deadLetteredAt',
      'redrivable',
      'redrivenAs',
    ],
    properties: {
      id: { type: 'string' },
      jobId: { type: ['string', 'null'] },
      tenant: { type: ['string', 'null'] },
      type: { type: ['string', 'null'] },
      reason: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['attempt', 'epoch', 'time', 'error'],
          properties: {
            attempt: { type: 'integer' },
            epoch: { type: 'integer' },
            time: dateTime,
            error: {
              type: 'object',
              required: ['type', 'title', 'detail', 'retriable'],
              properties: {
                type: { type: 'string' },
                title: { type: 'string' },
                detail: { type: ['string', 'null'] },
                retriable: { type: 'boolean' },
              },
            },
          },
        },
      },
      request: nullable({
        type: 'object',
        description: 'The request to run again (its payload stays out of this view).',
        required: ['maxAttempts', 'timeoutMs', 'payloadBytes'],
        properties: {
          maxAttempts: { type: 'integer' },
          timeoutMs: { type: 'integer' },
          payloadBytes: { type: 'integer' },
        },
      }),
      source: nullable({
        type: 'object',
        required: ['topic', 'partition', 'offset'],
        properties: { topic: { type: 'string' }, partition: { type: 'integer' }, offset: { type: 'string' } },
      }),
      deadLetteredAt: dateTime,
      redrivable: { type: 'boolean' },
      redrivenAs: nullable(jobId),
    },
  },
  Redrive: {
    type: 'object',
    additionalProperties: false,
    required: ['outcome', 'jobId', 'newJobId', 'links'],
    properties: {
      outcome: { enum: ['redriven', 'already-redriven'] },
      jobId: jobId,
      newJobId: jobId,
      links: {
        type: 'object',
        required: ['job'],
        properties: { job: { type: 'string' } },
      },
    },
  },
};
