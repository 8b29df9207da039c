import type { JobHandler } from '@longhaul/job-types';

/** `fail`: every attempt fails (retriably), so the job ends failed and dead-lettered. */
export const fail: JobHandler<{ message?: string }, never> = ({ message }) =>
  Promise.reject(new Error(message ?? 'this job always fails'));
