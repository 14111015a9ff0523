import { defineConfig } from 'vite';

// The build lands in ../wwwroot, which TaskManagement.Web serves; hashed files go to /assets/.
// JSX is compiled by esbuild (automatic runtime), so no React plugin is needed. No library may inject a
// <style> or inline script: the app's CSP allows neither.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../wwwroot',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // Terser packs the app into less than esbuild does; the first load has a 100 KiB (gzip) budget (FrontEndUnitTests).
    minify: 'terser',
    terserOptions: { compress: { passes: 2 } },
    // The polyfill would be one more script; every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      // React Router and TanStack Query mark modules "use client" for server components; a browser bundle ignores it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run dev` talks to the gateway (TaskManagement.Web on :8080) for /api.
    proxy: { '/api': 'http://localhost:8080' },
  },
  test: {
    // Hook tests choose jsdom with a `@vitest-environment jsdom` comment; the rest need no DOM.
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
