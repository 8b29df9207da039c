export { builtInJobTypes, type JobTypeDefinition, type RetryPolicy } from './catalog';
export {
  backoffMs,
  createJobTypeCatalog,
  toFieldErrors,
  type Checked,
  type FieldError,
  type JobOptions,
  type JobTypeCatalog,
} from './registry';
export {
  AbortRunError,
  NonRetryableError,
  abortableDelay,
  type AbortCause,
  type JobContext,
  type JobHandler,
  type JobLogger,
} from './handler';
export { loadJobTypeModules, type JobTypeModuleEntry, type LoadedJobTypes } from './modules';
