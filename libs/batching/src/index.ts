export { createGroupCommit, type GroupCommit } from './group-commit';
