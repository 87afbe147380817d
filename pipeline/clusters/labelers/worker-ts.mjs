// The labelling helper's entry under vitest/tsx (as workers/tasks-ts.mjs for the general one).
import { register } from 'tsx/esm/api';

register();
const tasks = await import('./worker.ts');
export default tasks.default;
