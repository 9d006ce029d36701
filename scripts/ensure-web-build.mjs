#!/usr/bin/env node
// Builds the web app when build/web is missing or older than its sources (scripts/web-build.mjs);
// `npm start` does the same check in its own process.
import { ensureWebBuild } from './web-build.mjs';

if (!ensureWebBuild()) process.exit(1);
