/**
 * The Avro schemas of every event, version 1. A schema here is never edited incompatibly:
 * a compatible change (a new field with a default) keeps the name; a breaking change is a new
 * record under a new namespace (`io.longhaul.jobs.v2`) and a new subject.
 *
 * Times are epoch milliseconds (`long`, annotated `timestamp-millis` for other readers).
 * Payloads and results are JSON text: Avro has no "any JSON" type, and the job type's own JSON
 * schema (see @longhaul/job-types) is what validates them.
 */
export const NAMESPACE = 'io.longhaul.jobs.v1';

type AvroType = string | Record<string, unknown> | readonly AvroType[];
interface Field {
  name: string;
  type: AvroType;
  default?: unknown;
  doc?: string;
}
export interface RecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace: string;
  readonly doc: string;
  readonly fields: readonly Field[];
}

const millis = { type: 'long', logicalType: 'timestamp-millis' };
const optionalString = (name: string, doc: string): Field => ({ name, type: ['null', 'string'], default: null, doc });

/** What every event carries, first and in this order. */
const envelope: Field[] = [
  { name: 'eventId', type: 'string', doc: 'Unique per event; a re-publication of the same event keeps it.' },
  { name: 'eventType', type: 'string', doc: 'The record name, repeated so a reader needs no schema lookup.' },
  { name: 'jobId', type: 'string', doc: 'The message key as well: one job, one partition, in order.' },
  { name: 'tenant', type: 'string' },
  { name: 'jobType', type: 'string' },
  { name: 'attempt', type: 'int', doc: 'Starts at 1; only a handler error or a timeout starts the next.' },
  { name: 'epoch', type: 'int', doc: 'Which run of the attempt: a takeover keeps the attempt and bumps it.' },
  { name: 'sequence', type: 'long', doc: 'Per job, increasing within an epoch; orders events for the projector.' },
  { name: 'time', type: millis },
];

/**
 * A job's failure, shaped like an RFC 9457 problem so it can be shown to clients as is.
 * Inlined in each schema that uses it: every subject's schema must stand alone.
 */
const jobError = {
  type: 'record',
  name: 'JobError',
  fields: [
    { name: 'type', type: 'string', doc: 'A URI reference naming the kind of failure.' },
    { name: 'title', type: 'string' },
    optionalString('detail', 'What happened, for a person; never secrets or payload contents.'),
    { name: 'retriable', type: 'boolean' },
  ],
};

function event(name: string, doc: string, fields: Field[]): RecordSchema {
  return { type: 'record', name, namespace: NAMESPACE, doc, fields: [...envelope, ...fields] };
}

export const schemas = {
  JobRequested: event('JobRequested', 'A client asked for a job and ingress accepted it.', [
    { name: 'payload', type: 'string', doc: 'The payload as JSON text, valid for the job type.' },
    { name: 'maxAttempts', type: 'int' },
    { name: 'timeoutMs', type: 'long', doc: 'Per attempt.' },
    {
      name: 'webhook',
      type: [
        'null',
        {
          type: 'record',
          name: 'JobWebhook',
          doc: 'Where to announce this job; its secret stays encrypted in the acceptance record.',
          fields: [
            { name: 'url', type: 'string' },
            { name: 'events', type: { type: 'array', items: 'string' }, default: [] },
            { name: 'hasSecret', type: 'boolean', default: false },
          ],
        },
      ],
      default: null,
    },
    optionalString('redriveOf', 'Set when an operator redrove a dead-lettered job: the id of that job.'),
  ]),
  JobStarted: event('JobStarted', 'A processor took the lease and started (or took over) a run.', [
    { name: 'worker', type: 'string', doc: 'The processor instance holding the lease.' },
    { name: 'resumedFromCheckpoint', type: 'boolean', default: false },
  ]),
  JobProgressed: event('JobProgressed', 'The handler reported progress (throttled).', [
    { name: 'percent', type: 'double' },
    optionalString('stage', 'A short name of the step in hand.'),
    optionalString('message', 'A line for a person.'),
  ]),
  JobCheckpointed: event('JobCheckpointed', 'The handler saved a checkpoint; it is durable before this event.', [
    optionalString('summary', 'What the checkpoint covers, for a person; the state itself stays with the processor.'),
    { name: 'sizeBytes', type: 'int' },
  ]),
  JobSucceeded: event('JobSucceeded', 'The run finished; the job is done.', [
    { name: 'result', type: 'string', doc: 'The result as JSON text.' },
    { name: 'durationMs', type: 'long' },
  ]),
  JobAttemptFailed: event('JobAttemptFailed', 'An attempt failed and a retry is scheduled.', [
    { name: 'error', type: jobError },
    { name: 'nextAttemptAt', type: millis },
  ]),
  JobFailed: event('JobFailed', 'The job failed for good (no attempts left, or a non-retriable error).', [
    { name: 'error', type: jobError },
  ]),
  JobCancelRequested: event('JobCancelRequested', 'A client asked to cancel; the run holding the lease aborts.', [
    optionalString('reason', 'Why, as the client said it.'),
  ]),
  JobCancelled: event('JobCancelled', 'The job was cancelled; final.', [optionalString('reason', 'Why.')]),
  JobDeadLettered: event('JobDeadLettered', 'The failed job was copied to the dead-letter topic, ready to redrive.', [
    { name: 'error', type: jobError },
    { name: 'deadLetterTopic', type: 'string' },
  ]),
  DeadLetter: event(
    'DeadLetter',
    'A request that will not run again: its job failed for good, or the message could not be used at all (poison). ' +
      'On the dead-letter topic, with what a redrive needs. For a poison message, tenant and jobType are empty ' +
      'when they could not be read, and jobId is the message key (or empty).',
    [
      { name: 'reason', type: 'string', doc: 'Why it is here, for an operator.' },
      {
        name: 'errors',
        type: {
          type: 'array',
          items: {
            type: 'record',
            name: 'AttemptError',
            fields: [
              { name: 'attempt', type: 'int' },
              { name: 'epoch', type: 'int' },
              { name: 'time', type: millis },
              { name: 'error', type: jobError },
            ],
          },
        },
        default: [],
        doc: "Every attempt's error, oldest first.",
      },
      {
        name: 'request',
        type: [
          'null',
          {
            type: 'record',
            name: 'DeadLetterRequest',
            doc: 'The request as it was accepted; webhook secrets stay in the acceptance record.',
            fields: [
              { name: 'payload', type: 'string' },
              { name: 'maxAttempts', type: 'int' },
              { name: 'timeoutMs', type: 'long' },
            ],
          },
        ],
        default: null,
      },
      {
        name: 'source',
        type: [
          'null',
          {
            type: 'record',
            name: 'PoisonSource',
            doc: 'Where an unusable message was read, and its bytes, so nothing is lost.',
            fields: [
              { name: 'topic', type: 'string' },
              { name: 'partition', type: 'int' },
              { name: 'offset', type: 'string' },
              { name: 'value', type: ['null', 'bytes'], default: null },
            ],
          },
        ],
        default: null,
      },
    ],
  ),
  JobStateChanged: event(
    'JobStateChanged',
    "The projector applied an event to a job's read model: the job as GET /v1/jobs/{id} shows it from now on. " +
      'Published only for changes it accepted, after they are durable, on the state topic. The envelope names ' +
      "the job's current attempt and the (epoch, sequence) of the event that caused the change; time is when it " +
      'was applied.',
    [
      {
        name: 'version',
        type: 'long',
        doc: 'Per job: 1 for the first accepted change, + 1 for each one after. Receivers order by it.',
      },
      {
        name: 'cause',
        type: {
          type: 'record',
          name: 'StateCause',
          fields: [
            { name: 'eventId', type: 'string' },
            { name: 'eventType', type: 'string' },
            { name: 'time', type: millis, doc: 'When the processor (or ingress) emitted it.' },
          ],
        },
      },
      { name: 'status', type: 'string', doc: 'queued, running, retrying, succeeded, failed or cancelled.' },
      {
        name: 'progress',
        type: [
          'null',
          {
            type: 'record',
            name: 'StateProgress',
            fields: [
              { name: 'percent', type: 'double' },
              optionalString('stage', 'A short name of the step in hand.'),
              optionalString('message', 'A line for a person.'),
              { name: 'updatedAt', type: millis },
            ],
          },
        ],
        default: null,
      },
      { name: 'maxAttempts', type: ['null', 'int'], default: null, doc: 'Null until the request was projected.' },
      { name: 'nextAttemptAt', type: ['null', millis], default: null },
      optionalString('result', 'The result as JSON text, when succeeded.'),
      { name: 'error', type: ['null', jobError], default: null, doc: "When failed: the last attempt's error." },
      { name: 'createdAt', type: millis },
      { name: 'startedAt', type: ['null', millis], default: null },
      { name: 'finishedAt', type: ['null', millis], default: null },
      {
        name: 'webhook',
        type: [
          'null',
          {
            type: 'record',
            name: 'JobWebhook',
            doc: 'The per-job webhook; its secret stays encrypted in the acceptance record.',
            fields: [
              { name: 'url', type: 'string' },
              { name: 'events', type: { type: 'array', items: 'string' }, default: [] },
              { name: 'hasSecret', type: 'boolean', default: false },
            ],
          },
        ],
        default: null,
      },
      optionalString('redriveOf', 'The dead-lettered job this one redrives.'),
    ],
  ),
  WebhookDeadLettered: event(
    'WebhookDeadLettered',
    'A webhook delivery that failed every attempt of its retry schedule, on the webhook dead-letter topic. The ' +
      "envelope is the job's and the state change's (sequence is the change's version); eventId is the delivery's " +
      'webhook-id. The delivery stays listed and replayable through the webhooks API.',
    [
      { name: 'subscriptionId', type: 'string', doc: "A subscription id, or 'job' for the job's own webhook." },
      { name: 'url', type: 'string' },
      { name: 'webhookEventType', type: 'string', doc: "job.started, job.progress, … (the body's type)." },
      {
        name: 'body',
        type: 'string',
        doc: 'The exact JSON body every attempt sent (no secret: signatures are not kept).',
      },
      { name: 'attempts', type: 'int' },
      { name: 'lastStatus', type: ['null', 'int'], default: null, doc: "The last answer's HTTP status, if any." },
      optionalString('lastError', 'Why the last attempt failed.'),
    ],
  ),
} as const satisfies Record<string, RecordSchema>;

export type EventType = keyof typeof schemas;
export const eventTypes = Object.keys(schemas) as EventType[];

/** The record's full name, which with the topic gives its subject (topic-record naming strategy). */
export function fullName(type: EventType): string {
  return `${NAMESPACE}.${type}`;
}
