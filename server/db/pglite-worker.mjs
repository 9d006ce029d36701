// The thread that owns PGlite (pglite-worker.ts) runs TypeScript whether the main thread loaded
// tsx by `--import` or by `register()`: a worker inherits neither loader, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-worker.ts');
