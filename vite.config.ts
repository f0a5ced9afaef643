import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web apps live under web/; the admin app is the site root. The server serves dist/web.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // Two apps: the admin app at the root, and the citizens' pages (/report, /track, /exposure)
      // with a small bundle of their own.
      input: {
        index: fileURLToPath(new URL('./web/index.html', import.meta.url)),
        citizen: fileURLToPath(new URL('./web/citizen.html', import.meta.url)),
      },
      output: {
        // React, the maps and the charts in chunks of their own (React first, so the citizens' pages
        // never pull a chunk in for a module both use). antd is left to the bundler: the admin's
        // pages are loaded lazily (AdminApp.tsx), so each page's components come with it and the
        // first load carries only what sign-in and the frame use.
        advancedChunks: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 30,
            },
            {
              name: 'leaflet',
              test: /node_modules[\\/](leaflet|react-leaflet|@react-leaflet)[\\/]/,
              priority: 25,
            },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
});
