# syntax=docker/dockerfile:1
# One image recipe for the lab's Node processes: the shop's three services, the chaos controller and the training process.
#   docker build --build-arg SERVICE=api|payments|worker -t firedrill/<service> .
#   docker build --build-arg SERVICE=chaos --build-arg MAIN=chaos/src/main.ts -t firedrill/chaos .
#   docker build --build-arg SERVICE=training --build-arg MAIN=training/src/main.ts -t firedrill/training .
# The services are TypeScript run by Node 24's type stripping, so there is no build step: the
# image holds the sources and the production dependencies, nothing else.

FROM node:24-slim AS base
WORKDIR /app

# Dependencies only, from the manifests, so this layer is rebuilt when a manifest changes rather
# than on every source edit. npm ci checks the lockfile against every workspace, so every
# workspace's package.json must be here, including ones no service needs at run time.
FROM base AS deps
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY packages/conventions/package.json packages/conventions/
COPY packages/lab-infra/package.json packages/lab-infra/
COPY packages/queue-contract/package.json packages/queue-contract/
COPY packages/shop-schema/package.json packages/shop-schema/
COPY services/api/package.json services/api/
COPY services/payments/package.json services/payments/
COPY services/worker/package.json services/worker/
COPY lab/package.json lab/
COPY chaos/package.json chaos/
COPY training/package.json training/
COPY grafana/package.json grafana/
COPY console/package.json console/
# --ignore-scripts: no dependency needs its install script here (msgpackr's native addon comes
# prebuilt in an optional package), and skipping them keeps third-party code out of the build.
RUN npm ci --omit=dev --workspaces --include-workspace-root=false --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

FROM base AS runtime
ARG SERVICE
# The entry point: a shop service's by default; the chaos controller lives outside services/.
ARG MAIN=services/${SERVICE}/src/main.ts
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    MAIN=${MAIN}
# Workspace links (node_modules/@firedrill/kit -> packages/kit) resolve once the sources are in.
COPY --from=deps /app ./
COPY packages ./packages
COPY services ./services
# The chaos agent runs inside every service (off unless CHAOS_URL is set); the controller and its
# migrations are the same package.
COPY chaos ./chaos
# The training process (levers, releases, flags, events, runs) and its migrations; the scenario
# files it runs, and the alert rules their expectedAlerts are checked against.
COPY training ./training
COPY scenarios ./scenarios
# The quiz the training process serves (it refuses to start without a valid one).
COPY quiz ./quiz
COPY prometheus/rules ./prometheus/rules
# The runbooks and the playbook GET /api/runbooks serves to responders.
COPY docs/runbooks ./docs/runbooks
COPY docs/playbook ./docs/playbook
# The console and the dashboards-as-code its charts are drawn from. (Its page is not built in the
# image yet: the console answers its pages with 503 page_not_built; see docs/console-wip.md.)
COPY grafana ./grafana
COPY console ./console
# Fail the build, not the container, when SERVICE/MAIN name no entry point.
RUN test -n "$SERVICE" && test -f "$MAIN" \
  || { echo "build with --build-arg SERVICE=api|payments|worker, or SERVICE=chaos MAIN=chaos/src/main.ts (got SERVICE='$SERVICE' MAIN='$MAIN')" >&2; exit 1; }
# The code stays owned by root and read-only to the process. The one writable place: the training
# process's run journals, owned by node so a named volume mounted there starts out writable.
RUN mkdir -p /var/lib/firedrill/runs && chown node:node /var/lib/firedrill/runs
USER node
# Telemetry is imported before the service so its instrumentation patches express, pg and ioredis
# before they load. `exec` hands PID 1 to node, so SIGTERM from `docker stop` reaches the
# service's graceful shutdown.
CMD ["sh", "-c", "exec node --import @firedrill/kit/telemetry \"${MAIN}\""]
