# The Tessera platform image. Build: docker build -t tessera .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# pcsclite (optional) compiles against libpcsclite-dev; the platform itself never needs a reader.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ libpcsclite-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The compiled build (dist/): production runs it rather than the sources under tsx.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY services ./services
COPY shared ./shared
COPY card-applets-sim ./card-applets-sim
COPY db ./db
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpcsclite1 curl tini \
    && rm -rf /var/lib/apt/lists/*
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY --from=build /app/dist ./dist
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/services/platform/cli/main.js", "start"]
