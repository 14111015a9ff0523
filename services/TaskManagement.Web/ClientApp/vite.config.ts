import { defineConfig } from 'vite';

// The build lands in ../wwwroot, which TaskManagement.Web serves; hashed files go to /assets/.
// JSX is compiled by esbuild (automatic runtime), so no React plugin is needed.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../wwwroot',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // The polyfill would be one more script; every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` talks to the gateway (TaskManagement.Web on :8080) for /api.
    proxy: { '/api': 'http://localhost:8080' },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
