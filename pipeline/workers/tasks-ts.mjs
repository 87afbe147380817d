// The worker entry under vitest/tsx (pool.ts uses it when running from TypeScript sources): tsx's
// loader does not reach worker threads through execArgv, so the worker registers it itself.
import { register } from 'tsx/esm/api';

register();
const tasks = await import('./tasks.ts');
export default tasks.default;
