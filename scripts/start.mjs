#!/usr/bin/env node
// `npm start`: the web build check, then the server in this same process, with tsx registered
// as a loader instead of started as a parent process. One process under npm means the SIGTERM
// npm forwards (`docker stop`, a service manager) reaches the server itself, which closes
// cleanly; with a shell and tsx's own process in between, the server was left running.
import { register } from 'tsx/esm/api';
import { ensureWebBuild } from './web-build.mjs';

if (!ensureWebBuild()) process.exit(1);
register();
await import('../server/main.ts');
