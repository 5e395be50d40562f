# The moflow image (worker, `schedules apply`, the local MO). The Temporal server runs as its own service (see
# docker-compose.yml), so the Python-distributed Temporal CLI is not installed here.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production MOFLOW_SKIP_PYTHON_TOOLS=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY tsconfig.json ./
# The CLI runs from a build (dist/cli/), made here: at run time the image's folder is not writable for a rebuild.
RUN node scripts/build.mjs
# A named volume mounted here takes this folder's owner: the worker (user node) writes its cache and reports.
RUN mkdir -p /data && chown node:node /data
USER node
ENTRYPOINT ["node", "bin/moflow.js"]
CMD ["worker"]
