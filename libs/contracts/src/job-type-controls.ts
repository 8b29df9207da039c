/**
 * An operator's switch for one job type (collection `job_type_controls`): written by ingress
 * (admin API), read by every processor every few seconds. While a type is paused, processors
 * start none of its jobs; requests wait on the retry topic until it resumes.
 */
export interface JobTypeControlDocument {
  /** The job type name. */
  _id: string;
  paused: boolean;
  reason: string | null;
  updatedAt: Date;
}
