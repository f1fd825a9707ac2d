import { defineConfig } from 'vite';

// React's JSX through Oxc, Vite's own transform (no plugin needed: the app uses no fast refresh in builds).
// `pnpm dev` proxies the API to a platform started with scripts/start.sh.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The preload helper would otherwise be the only reason for an inline script.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:5000', '/files': 'http://localhost:5000' },
  },
});
