# The callplane control plane. docker-compose.yml runs it with PostgreSQL.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY server ./server
COPY scripts ./scripts
COPY provisioning ./provisioning
COPY dialplans ./dialplans
COPY tsconfig.json ./
ENV CALLPLANE_HTTP_HOST=0.0.0.0 \
    CALLPLANE_DATA_DIR=/app/data
EXPOSE 8080
STOPSIGNAL SIGTERM
# One garbage-collector thread: the collector's helper threads otherwise take
# the cores PostgreSQL, drachtio-server and FreeSWITCH run on, and stretch
# every pause (docs/rating.md, "What it costs").
CMD ["node", "--single-threaded-gc", "--import", "tsx", "server/main.ts"]
