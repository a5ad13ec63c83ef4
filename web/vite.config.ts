/**
 * The web UI's build: `npm run build:web` writes web/dist, which FlowLens
 * serves at `/`; `npm run dev:web` serves it with hot reload and forwards
 * /api (HTTP and the live WebSocket) to a FlowLens at FLOWLENS_URL
 * (default http://127.0.0.1:3000).
 */
import { defineConfig } from 'vite';

const target = process.env.FLOWLENS_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target, ws: true, changeOrigin: false } },
  },
});
