import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // A pure single-page app: the API serves build/web and falls back to index.html.
    adapter: adapter({
      pages: 'build/web',
      assets: 'build/web',
      fallback: 'index.html',
      // Brotli and gzip copies beside each file, made once at build time: the server sends them
      // as they are (server/app.ts) instead of compressing every response again.
      precompress: true,
      strict: true,
    }),
    files: {
      src: 'web',
      routes: 'web/routes',
      lib: 'web/lib',
      appTemplate: 'web/app.html',
      assets: 'web/static',
      hooks: { client: 'web/hooks.client' },
      serviceWorker: 'web/service-worker',
    },
    // The SPA's one inline script (the boot snippet) is allowed by its hash; nothing else inline.
    // Images come from this origin only (uploaded images, data: and blob: previews): an image
    // from another host would tell it who reads which lesson, and when. The server sends this
    // same policy as a header too, read from the built index.html (server/lib/web-csp.ts).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'worker-src': ['self'],
        'manifest-src': ['self'],
      },
    },
    alias: {
      $shared: 'shared',
    },
    // Only for push: the worker is registered when a learner turns notifications on, never for
    // everyone (web/lib/components/PushToggle.svelte).
    serviceWorker: { register: false },
  },
};

export default config;
