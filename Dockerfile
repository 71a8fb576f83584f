# syntax=docker/dockerfile:1
# Build: the TypeScript compiler and dev dependencies stay in this stage.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The dashboard (off in production unless DASHBOARD=true) is bundled into dist/web.
COPY dashboard ./dashboard
COPY scripts ./scripts
RUN npm run build

# Run: production dependencies and the built JavaScript, as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# Liveness only (no vendor call); use /ready for a load balancer's readiness.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM reaches node directly (exec form): requests in flight get SHUTDOWN_GRACE_MS to finish.
CMD ["node", "dist/main.js"]
