/**
 * Generated from the Longhaul OpenAPI document by scripts/generate-types.mjs (openapi-typescript).
 * Do not edit: run `npm run generate-types -w @longhaul/client` after changing the document.
 */

export interface paths {
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['healthz'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['metrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['openapi'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['readyz'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/dead-letters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Dead letters, newest first */
    get: operations['listDeadLetters'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/dead-letters/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** One dead letter (by job id, or by letter id for a message that named no job) */
    get: operations['getDeadLetter'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/dead-letters/{id}/redrive': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run a dead-lettered job again as a new job (once; repeating answers the same job) */
    post: operations['redriveDeadLetter'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/dead-letters/redrive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Redrive up to 100 dead-lettered jobs */
    post: operations['redriveDeadLetters'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/job-types': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every job type and whether it is paused */
    get: operations['listJobTypeControls'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/job-types/{type}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        type: string;
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause a job type: processors start none of its jobs (running ones go on) until it resumes */
    post: operations['pauseJobType'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/job-types/{type}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        type: string;
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume a paused job type */
    post: operations['resumeJobType'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/lag': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The processors' consumer-group lag on the requests topic, per partition (what KEDA scales on) */
    get: operations['getLag'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the tenant's jobs, newest first
     * @description Reads the projected read model, which may lag a moment behind acceptance.
     */
    get: operations['listJobs'];
    put?: never;
    /** Submit a job */
    post: operations['submitJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** A job’s status (read-your-writes: found right after its 202) */
    get: operations['getJob'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask to cancel a job (repeatable) */
    post: operations['cancelJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** Webhook deliveries of one job: to its own webhook and to every subscription */
    get: operations['listJobDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /**
     * Server-sent events: the job’s current state, then each change, ending after the final one
     * @description Events `job.state` (the current state, first), then status and progress changes: `job.started`, `job.progress`, `job.retrying`, `job.succeeded`, `job.failed`, `job.cancelled`; `data` is the job snapshot, the event id its `sequence`. With `Last-Event-ID` the stream sends the current state if it is newer than that id (the changes in between are not replayed), then continues. A comment every 15 s keeps the connection open.
     */
    get: operations['streamJobEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook-deliveries/{deliveryId}/replay': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        deliveryId: string;
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Queue one delivery again (same webhook-id, a fresh round of attempts) */
    post: operations['replayWebhookDelivery'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook-signing-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s signing secret, which signs per-job webhooks given without a secret: created on first use; its value is in the first answer only */
    get: operations['getSigningSecret'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook-signing-secret/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new signing secret (shown in this answer only); the old one keeps signing for the overlap */
    post: operations['rotateSigningSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s subscriptions, newest first */
    get: operations['listWebhooks'];
    put?: never;
    /** Subscribe an endpoint to the tenant’s job events (the secret is shown in this answer only) */
    post: operations['createWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** One subscription */
    get: operations['getWebhook'];
    put?: never;
    post?: never;
    /** Delete a subscription (its deliveries not yet made are skipped) */
    delete: operations['deleteWebhook'];
    options?: never;
    head?: never;
    /** Change a subscription (enabling it clears why it was disabled) */
    patch: operations['updateWebhook'];
    trace?: never;
  };
  '/v1/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** Deliveries to this subscription with every attempt, newest first */
    get: operations['listWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}/replay': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Queue again every failed or dead delivery of this subscription created since a time */
    post: operations['replayWebhookDeliveries'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new secret (shown in this answer only); the old one keeps signing for the overlap */
    post: operations['rotateWebhookSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Accepted: {
      /** Format: date-time */
      createdAt: string;
      /** @description A ULID: unguessable, sortable by time. */
      id: string;
      links: components['schemas']['JobLinks'];
      /** @constant */
      status: 'queued';
      type: string;
    };
    CreateWebhook: {
      description?: string | null;
      enabled?: boolean;
      /** @description The event types to deliver; empty or absent: all. */
      events?: ('job.started' | 'job.progress' | 'job.retrying' | 'job.succeeded' | 'job.failed' | 'job.cancelled')[];
      /** @description https (http only where the operator allows it); public addresses only. */
      url: string;
    };
    DeadLetter: {
      /** Format: date-time */
      deadLetteredAt: string;
      errors: {
        attempt: number;
        epoch: number;
        error: {
          detail: string | null;
          retriable: boolean;
          title: string;
          type: string;
        };
        /** Format: date-time */
        time: string;
      }[];
      id: string;
      jobId: string | null;
      reason: string;
      redrivable: boolean;
      redrivenAs: null | string;
      request: null | {
        maxAttempts: number;
        payloadBytes: number;
        timeoutMs: number;
      };
      source: null | {
        offset: string;
        partition: number;
        topic: string;
      };
      tenant: string | null;
      type: string | null;
    };
    Job: {
      /** @description 0 until the first attempt starts. */
      attempt: number;
      /** @description Every failed attempt with its error, oldest first. */
      attempts: {
        attempt: number;
        error: {
          detail: string | null;
          title: string;
          type: string;
        };
        /** Format: date-time */
        failedAt: string;
      }[];
      cancelRequested: boolean;
      checkpoint: null | {
        /** Format: date-time */
        at: string;
        sizeBytes: number;
        summary: string | null;
      };
      /** Format: date-time */
      createdAt: string;
      error: null | {
        detail: string | null;
        title: string;
        type: string;
      };
      finishedAt: null | string;
      /** @description A ULID: unguessable, sortable by time. */
      id: string;
      links: components['schemas']['JobLinks'];
      maxAttempts: number;
      nextAttemptAt: null | string;
      progress: null | {
        message: string | null;
        percent: number;
        stage: string | null;
        /** Format: date-time */
        updatedAt: string;
      };
      redrivenAs: null | string;
      redriveOf: null | string;
      /** @description The handler’s result, when succeeded; else null. */
      result: unknown;
      startedAt: null | string;
      /** @enum {unknown} */
      status: 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
      type: string;
      webhook: null | {
        events: ('job.started' | 'job.progress' | 'job.retrying' | 'job.succeeded' | 'job.failed' | 'job.cancelled')[];
        url: string;
      };
    };
    JobLinks: {
      cancel: string;
      self: string;
    };
    JobList: {
      items: components['schemas']['Job'][];
      links: {
        next: string | null;
        self: string;
      };
      nextCursor: string | null;
    };
    JobTypeControl: {
      paused: boolean;
      reason: string | null;
      type: string;
      updatedAt: null | string;
    };
    Lag: {
      group: string;
      /** Format: date-time */
      measuredAt: string;
      partitions: {
        /** @description The group’s committed offset; null before its first commit (it then starts from the first kept message). */
        committedOffset: string | null;
        /** @description The offset the next message will get. */
        endOffset: string;
        lag: number;
        partition: number;
        /** @description The first offset the topic still keeps. */
        startOffset: string;
      }[];
      topic: string;
      totalLag: number;
    };
    Problem: {
      detail: string;
      errors?: {
        message: string;
        pointer: string;
      }[];
      status: number;
      title: string;
      /** @enum {unknown} */
      type:
        | '/problems/bad-request'
        | '/problems/malformed-json'
        | '/problems/unauthorized'
        | '/problems/forbidden'
        | '/problems/not-found'
        | '/problems/method-not-allowed'
        | '/problems/idempotent-request-in-flight'
        | '/problems/job-finished'
        | '/problems/not-redrivable'
        | '/problems/too-many-subscriptions'
        | '/problems/delivery-pending'
        | '/problems/concurrent-change'
        | '/problems/body-too-large'
        | '/problems/unsupported-media-type'
        | '/problems/validation'
        | '/problems/idempotency-key-reused'
        | '/problems/rate-limited'
        | '/problems/internal'
        | '/problems/unavailable';
    };
    Redrive: {
      /** @description A ULID: unguessable, sortable by time. */
      jobId: string;
      links: {
        job: string;
      };
      /** @description A ULID: unguessable, sortable by time. */
      newJobId: string;
      /** @enum {unknown} */
      outcome: 'redriven' | 'already-redriven';
    };
    /** @description The secrets that sign now, current first (never their values). */
    SecretInfo: {
      /** Format: date-time */
      createdAt: string;
      /** @description Null for the current secret; a rotated-out one signs until then. */
      expiresAt: null | string;
    }[];
    SigningSecret: {
      /** Format: date-time */
      createdAt: string;
      /** @description When the current secret replaced the one before. */
      rotatedAt: null | string;
      /** @description The secret (Standard Webhooks: whsec_ + base64). Shown once: keep it now. */
      secret?: string;
      secrets: components['schemas']['SecretInfo'];
    };
    SubmitJob: {
      options?: {
        /** @description Within the type limits. */
        maxAttempts?: number;
        /** @description Per attempt; within the type limits. */
        timeoutMs?: number;
      };
      /** @description Validated against the job type's payload schema. */
      payload: unknown;
      /** @description A job type from the catalog. */
      type: string;
      webhook?: {
        /** @description Which events to deliver; all when omitted. */
        events?: ('job.started' | 'job.progress' | 'job.retrying' | 'job.succeeded' | 'job.failed' | 'job.cancelled')[];
        /** @description Standard Webhooks secret (whsec_ + base64 of 24–64 bytes); without it the tenant's secret signs. */
        secret?: string;
        /** @description https; public addresses only. */
        url: string;
      };
    } & (
      | {
          payload?: {
            /** @description How long to wait. */
            ms: number;
          };
          /** @constant */
          type?: 'sleep';
        }
      | {
          payload?: {
            /** @description How long each step takes. */
            stepMs: number;
            /** @description How many steps. */
            steps: number;
          };
          /** @constant */
          type?: 'report.generate';
        }
      | {
          payload?: {
            /** @description Attempts that fail before one succeeds. */
            failTimes: number;
            /** @description How long each attempt takes. */
            ms?: number;
          };
          /** @constant */
          type?: 'flaky';
        }
      | {
          payload?: {
            /** @description The error detail. */
            message?: string;
          };
          /** @constant */
          type?: 'fail';
        }
      | {
          payload?: {
            /** @description How many chained SHA-256 rounds. */
            rounds: number;
          };
          /** @constant */
          type?: 'cpu.hash';
        }
    );
    UpdateWebhook: {
      description?: string | null;
      enabled?: boolean;
      /** @description The event types to deliver; empty or absent: all. */
      events?: ('job.started' | 'job.progress' | 'job.retrying' | 'job.succeeded' | 'job.failed' | 'job.cancelled')[];
      /** @description https (http only where the operator allows it); public addresses only. */
      url?: string;
    };
    Webhook: {
      /** Format: date-time */
      createdAt: string;
      description: string | null;
      disabledAt: null | string;
      /**
       * @description manual: by the API; gone: the endpoint answered 410; failing: it failed every delivery for too long.
       * @enum {unknown}
       */
      disabledReason: 'manual' | 'gone' | 'failing' | null;
      enabled: boolean;
      /** @description Empty: every event. */
      events: ('job.started' | 'job.progress' | 'job.retrying' | 'job.succeeded' | 'job.failed' | 'job.cancelled')[];
      /** @description The first failed attempt since the last success. */
      failingSince: null | string;
      id: string;
      lastDeliveredAt: null | string;
      secrets: components['schemas']['SecretInfo'];
      /** Format: date-time */
      updatedAt: string;
      url: string;
    };
    WebhookDelivery: {
      /** @description Every attempt, oldest first (the last 50). */
      attemptLog: {
        /** Format: date-time */
        at: string;
        error: string | null;
        latencyMs: number;
        /** @enum {unknown} */
        outcome: 'delivered' | 'retry' | 'gone' | 'failed';
        /** @description The first bytes of the response body. */
        response: string;
        status: number | null;
      }[];
      /** @description Attempts in this round (a replay starts a new one). */
      attempts: number;
      /** Format: date-time */
      createdAt: string;
      /** @enum {unknown} */
      eventType: 'job.started' | 'job.progress' | 'job.retrying' | 'job.succeeded' | 'job.failed' | 'job.cancelled';
      finishedAt: null | string;
      /** @description The webhook-id: the same on every attempt and replay. */
      id: string;
      jobId: string;
      nextAttemptAt: null | string;
      replays: number;
      sequence: number;
      /** @enum {unknown} */
      state: 'pending' | 'delivered' | 'failed' | 'dead' | 'collapsed' | 'skipped';
      /** @description A subscription id, or "job" for the job’s own webhook. */
      subscriptionId: string;
      url: string;
    };
    WebhookDeliveryList: {
      items: components['schemas']['WebhookDelivery'][];
      /** @description Pass as `before` for the next page; null on the last. */
      next: null | string;
    };
    WebhookWithSecret: {
      /** Format: date-time */
      createdAt: string;
      description: string | null;
      disabledAt: null | string;
      /**
       * @description manual: by the API; gone: the endpoint answered 410; failing: it failed every delivery for too long.
       * @enum {unknown}
       */
      disabledReason: 'manual' | 'gone' | 'failing' | null;
      enabled: boolean;
      /** @description Empty: every event. */
      events: ('job.started' | 'job.progress' | 'job.retrying' | 'job.succeeded' | 'job.failed' | 'job.cancelled')[];
      /** @description The first failed attempt since the last success. */
      failingSince: null | string;
      id: string;
      lastDeliveredAt: null | string;
      /** @description The secret (Standard Webhooks: whsec_ + base64). Shown once: keep it now. */
      secret: string;
      secrets: components['schemas']['SecretInfo'];
      /** Format: date-time */
      updatedAt: string;
      url: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  healthz: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process answers. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  metrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Prometheus text exposition. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': unknown;
        };
      };
    };
  };
  openapi: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description This document. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  readyz: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Started and ready. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not ready yet. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  listDeadLetters: {
    parameters: {
      query?: {
        /** @description Only letters older than this. */
        before?: string;
        limit?: number;
        tenant?: string;
        type?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Dead letters. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['DeadLetter'][];
          };
        };
      };
      /** @description A query parameter is not valid. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getDeadLetter: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The dead letter. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeadLetter'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such dead letter. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  redriveDeadLetter: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Already redriven: the job it was redriven as. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Redrive'];
        };
      };
      /** @description Redriven: a new job was accepted. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Redrive'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No dead letter for that job. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Nothing to run again (an undecodable message, or an unknown job type). */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  redriveDeadLetters: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          jobIds: string[];
        };
      };
    };
    responses: {
      /** @description What happened to each. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            results: {
              detail?: string;
              jobId: string;
              /** @description A ULID: unguessable, sortable by time. */
              newJobId?: string;
              /** @enum {unknown} */
              outcome: 'redriven' | 'already-redriven' | 'not-found' | 'not-redrivable';
            }[];
          };
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not JSON. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not {"jobIds": [...]}. */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listJobTypeControls: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job types. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['JobTypeControl'][];
          };
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  pauseJobType: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        type: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The switch as it is now (seen by every processor within seconds). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobTypeControl'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No job type of that name. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not JSON. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not {"reason": "…"}. */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  resumeJobType: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        type: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The switch as it is now (seen by every processor within seconds). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobTypeControl'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No job type of that name. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not JSON. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not {"reason": "…"}. */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getLag: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The lag now. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Lag'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listJobs: {
    parameters: {
      query?: {
        createdAfter?: string;
        cursor?: string;
        limit?: number;
        status?: 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
        type?: 'sleep' | 'report.generate' | 'flaky' | 'fail' | 'cpu.hash';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of jobs. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobList'];
        };
      };
      /** @description A query parameter is not valid. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  submitJob: {
    parameters: {
      query?: never;
      header?: {
        /** @description Same key and body → the same job and response (kept 24 h, per tenant). */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SubmitJob'];
      };
    };
    responses: {
      /** @description Accepted: the request is durably queued. */
      202: {
        headers: {
          /** @description Where to follow the job. */
          Location?: string;
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Accepted'];
        };
      };
      /** @description Malformed JSON or a bad header. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A request with this Idempotency-Key is still in flight. */
      409: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is over the limit. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not UTF-8 JSON. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The job type, payload, options or webhook are not valid, or the key was reused. */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getJob: {
    parameters: {
      query?: never;
      header?: {
        'If-None-Match'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job. */
      200: {
        headers: {
          ETag?: string;
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Job'];
        };
      };
      /** @description Unchanged since the ETag given. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such job for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  cancelJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Cancellation requested. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Job'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such job for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The job has already finished. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listJobDeliveries: {
    parameters: {
      query?: {
        /** @description Only deliveries created before this time: the `next` of the previous page. */
        before?: string;
        limit?: number;
        state?: 'pending' | 'delivered' | 'failed' | 'dead' | 'collapsed' | 'skipped';
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deliveries, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryList'];
        };
      };
      /** @description A query parameter is not valid. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such job for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  streamJobEvents: {
    parameters: {
      query?: never;
      header?: {
        'Last-Event-ID'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The event stream. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description The Last-Event-ID is not one this stream sent. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such job for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  replayWebhookDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        deliveryId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Queued again, due now. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDelivery'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such delivery for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The delivery is already waiting for its next attempt. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getSigningSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The signing secret. */
      200: {
        headers: {
          /** @description no-store: the body holds a secret. */
          'Cache-Control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SigningSecret'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  rotateSigningSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Rotated. */
      200: {
        headers: {
          /** @description no-store: the body holds a secret. */
          'Cache-Control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: date-time */
            createdAt: string;
            /** @description When the current secret replaced the one before. */
            rotatedAt: null | string;
            /** @description The secret (Standard Webhooks: whsec_ + base64). Shown once: keep it now. */
            secret: string;
            secrets: components['schemas']['SecretInfo'];
          };
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The secret changed in another request at the same time. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every subscription of the tenant. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Webhook'][];
          };
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateWebhook'];
      };
    };
    responses: {
      /** @description Created. */
      201: {
        headers: {
          /** @description no-store: the body holds a secret. */
          'Cache-Control'?: string;
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookWithSecret'];
        };
      };
      /** @description Malformed JSON. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant already has 100 subscriptions. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is over the limit. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not UTF-8 JSON. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A field is not valid, or the URL is not one webhooks may reach. */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The subscription. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Webhook'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such subscription for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such subscription for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateWebhook'];
      };
    };
    responses: {
      /** @description The subscription as it is now. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Webhook'];
        };
      };
      /** @description Malformed JSON. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such subscription for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is over the limit. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not UTF-8 JSON. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A field is not valid, or the URL is not one webhooks may reach. */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        /** @description Only deliveries created before this time: the `next` of the previous page. */
        before?: string;
        limit?: number;
        state?: 'pending' | 'delivered' | 'failed' | 'dead' | 'collapsed' | 'skipped';
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deliveries, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryList'];
        };
      };
      /** @description A query parameter is not valid. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such subscription for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  replayWebhookDeliveries: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * Format: date-time
           * @description Every failed or dead delivery created at or after this time is queued again; not in the future.
           */
          since: string;
        };
      };
    };
    responses: {
      /** @description Queued again; the notifier delivers them as due now. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            replayed: number;
          };
        };
      };
      /** @description Malformed JSON. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such subscription for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is over the limit. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not UTF-8 JSON. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description since is missing, not a date-time, or in the future. */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  rotateWebhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Rotated. */
      200: {
        headers: {
          /** @description no-store: the body holds a secret. */
          'Cache-Control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookWithSecret'];
        };
      };
      /** @description No valid API key. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key is not valid for this route (admin keys only under /v1/admin/). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such subscription for this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The route exists but not with this method. */
      405: {
        headers: {
          Allow?: string;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Another rotation of this subscription happened at the same time. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant's rate limit is exhausted. */
      429: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A dependency (Kafka or MongoDB) is unavailable; nothing was changed. */
      503: {
        headers: {
          /** @description Seconds to wait before asking again. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
}
