// Vite build of the dashboard page (Preact, automatic JSX runtime). `vite` (dev) proxies the data
// endpoints to a running dashboard server: GAVEL_DASHBOARD=http://127.0.0.1:8080 npx vite app/web
import { defineConfig } from "vite";

const backend = process.env.GAVEL_DASHBOARD ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    proxy: { "/api": backend, "/live": { target: backend.replace(/^http/, "ws"), ws: true } },
  },
});
