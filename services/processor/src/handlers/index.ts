import type { JobContext } from '@longhaul/job-types';
import { cpuHash } from './cpu-hash';
import { fail } from './fail';
import { flaky } from './flaky';
import { reportGenerate } from './report-generate';
import { sleep } from './sleep';

/** Any handler, whatever its payload, result and checkpoint types (the catalog validated the payload). */
export type AnyJobHandler = (payload: never, ctx: JobContext<never>) => Promise<unknown>;
export type HandlerRegistry = ReadonlyMap<string, AnyJobHandler>;

/** The handlers of the built-in job types (declared in @longhaul/job-types), by type name. */
export const builtInHandlers: HandlerRegistry = new Map<string, AnyJobHandler>([
  ['sleep', sleep],
  ['report.generate', reportGenerate],
  ['flaky', flaky],
  ['fail', fail],
  ['cpu.hash', cpuHash],
]);
