// Vite bundles the renderer (renderer/index.html → dist/renderer). The base is relative because
// Electron loads the built page from file://, while `maxent serve` serves the same files over HTTP.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('./renderer/', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // three + uPlot are one chunk of ~700 kB; splitting it buys nothing for a local app.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // The renderer imports the StudioApi client from ../studio/web.
    fs: { allow: [repoRoot] },
  },
});
