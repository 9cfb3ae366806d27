import { defineConfig } from 'vite';

const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

// The board's web page. Built into apps/dashboard/dist and served by the service at `/`.
// React through Vite's own JSX transform (no plugin, no fast refresh). Everything is bundled:
// no request leaves for any host but the service.
export default defineConfig({
  root: here,
  base: '/',
  publicDir: `${here}public`,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    // `npx vite --config apps/dashboard/vite.config.mts` while developing: the API on :4000.
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/dev': 'http://127.0.0.1:4000',
    },
  },
});
