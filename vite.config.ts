import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const apiPort = process.env.API_PORT ?? '3000';

export default defineConfig({
  plugins: [
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './web/lib/paraglide',
      // The locale lives in a reactive variable that the app sets (web/lib/i18n.svelte.ts):
      // browser language or saved choice before login, the account's language after.
      strategy: ['globalVariable', 'baseLocale'],
      emitReadme: false,
    }),
    sveltekit(),
  ],
  server: {
    // `vite dev` talks to a running API on the same origin through this proxy.
    proxy: { '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false } },
  },
  build: {
    // The plugin-timing report is noise in `npm start` output.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
