// Every migration, in order. Listed explicitly (not globbed) so the same list
// works from the compiled app, the CLI and the ESM test runner.
import { ForumCore1795586000000 } from './1795586000000-ForumCore.js';

export const MIGRATIONS = [ForumCore1795586000000];
