// Vite: the console is built into web/dist, which the server serves at / (SPA fallback).
// In development `npm run dev -w web` proxies /api to the server (API_URL, default :3000).
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * dist/precache.json: every built asset, for the service worker to cache when it installs. A
 * sampler's phone must open the lane page after a reload with no network, and the lazy chunks
 * of its routes would otherwise be cached only once fetched while the worker was in control.
 */
function precacheList(): Plugin {
  return {
    name: 'fangkong-precache-list',
    apply: 'build',
    generateBundle(_options, bundle) {
      const assets = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/'))
        .sort()
        .map((f) => `/${f}`);
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(assets) });
    },
  };
}

export default defineConfig({
  plugins: [react(), precacheList()],
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.API_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
  preview: { port: 4173, proxy: { '/api': { target: process.env.API_URL ?? 'http://localhost:3000' } } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
});
