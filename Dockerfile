# unexpose: one image for every role (curator, matcher replicas, workers); the command picks the role.
# Build: docker build -t unexpose .   Run: see compose.yaml and docs/deploy.md.

# --- build: dev dependencies, the WebAssembly PDQ, TypeScript and the victim page; then drop dev dependencies
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Native modules (better-sqlite3, sharp, argon2) normally come prebuilt; these let npm compile one if not.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- run: Node 20 slim with ffmpeg (video hashing), the built files, production dependencies, a non-root user
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
# glibc advises the kernel to back every block of 2 MiB or more with transparent huge pages (hosts whose THP mode is
# "madvise"; "always" needs nothing, "never" refuses): the match indexes are such blocks, read at random, and on 4 KiB
# pages a lookup at 10M banked pictures spends much of its time walking page tables (docs/deploy.md, Limits and sizing).
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/wasm/pdq/pdq-simd.wasm ./wasm/pdq/pdq-simd.wasm
COPY --from=build /app/templates ./templates
# The SQLite file and key file of a single-container setup live in /data (a volume); with PostgreSQL nothing is
# written to the container's disk.
RUN mkdir -p /data && chown node:node /data
USER node
WORKDIR /data
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/cli/main.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.UNEXPOSE_PORT||8080)+'/status/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
