# syntax=docker/dockerfile:1
# Every service's image, from the repository root:
#   docker build --build-arg SERVICE=<gateway|tts|stt|chat|document|quiz> -t learner-platform/<service> .
# (docker-compose.yml does this). The image holds only that service: its build, its production
# dependencies and those of the workspace packages it uses, its migrations, and the local engines it
# shells out to. It runs as the unprivileged user node (uid 1000).
ARG SERVICE

FROM node:24-slim AS base
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# A current corepack: the one bundled with Node 24 carries outdated signing keys for pnpm.
RUN npm install --global corepack@0.36.0 && corepack enable pnpm
WORKDIR /repo

# The whole workspace installed, then the service built (with the workspace packages it references;
# the gateway's build also writes its API document and builds the web app it serves).
FROM base AS build
ARG SERVICE
COPY . .
RUN test -n "$SERVICE" && test -f "services/$SERVICE/package.json" \
 && pnpm install --frozen-lockfile \
 && pnpm --filter "@learner/$SERVICE" run build \
 && if [ "$SERVICE" = gateway ]; then pnpm --filter @learner/web run build; fi \
 && mkdir /built && find packages services -mindepth 2 -maxdepth 2 -name dist -type d \
      -exec cp -a --parents {} /built/ \;

# A second install with production dependencies only (no compilers, test tools or type packages),
# laid out as /app by scripts/docker/assemble-service.sh. --filter-prod: the workspace packages a
# service uses only in its tests (the document service, for chat and quiz) stay out.
FROM base AS app
ARG SERVICE
COPY . .
RUN pnpm install --frozen-lockfile --prod --filter-prod "@learner/$SERVICE..."
COPY --from=build /built/ /repo/
RUN bash scripts/docker/assemble-service.sh "$SERVICE" /app

FROM node:24-slim AS runtime
HEALTHCHECK --interval=30s --timeout=10s --retries=3 --start-period=40s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Run from the service's folder (see the last stage), so node finds its dependencies from there.
CMD ["node", "dist/main.js"]

# One stage per service: its port, the engines it runs when AWS is not configured, and the local
# file storage (used when no S3 bucket is configured: a volume owned by node) where it keeps files.
# Debian's stable packages only get fixes; pinning them would break the build at each update.
FROM runtime AS service-gateway
ENV PORT=5000
EXPOSE 5000
# A larger young generation: at full load the default one made the gateway spend about 9% of its
# CPU in scavenges (profiled with bench/gateway), this one about 5%.
CMD ["node", "--max-semi-space-size=32", "dist/main.js"]

FROM runtime AS service-tts
ENV PORT=5001 STORAGE_DIR=/data/storage
EXPOSE 5001
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng flite ffmpeg \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data/storage && chown 1000:1000 /data/storage

FROM runtime AS service-stt
ENV PORT=5002 STORAGE_DIR=/data/storage
EXPOSE 5002
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg pocketsphinx pocketsphinx-en-us \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data/storage && chown 1000:1000 /data/storage

FROM runtime AS service-chat
ENV PORT=5003
EXPOSE 5003

FROM runtime AS service-document
ENV PORT=5004 STORAGE_DIR=/data/storage
EXPOSE 5004
# OCR of scanned pages (when Textract is not configured) and PDF page rendering.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng poppler-utils \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data/storage && chown 1000:1000 /data/storage

FROM runtime AS service-quiz
ENV PORT=5005
EXPOSE 5005

# hadolint ignore=DL3006
FROM service-${SERVICE}
ARG SERVICE
COPY --from=app /app /app
USER 1000:1000
WORKDIR /app/services/${SERVICE}
