# Waspada's image: built with the dev dependencies, run with the production ones only, as a
# non-root user. No secret goes into the image: every setting comes from the environment at run
# time (docker-compose.yml passes the ones in .env). tests/deploy/dockerfile.test.ts reads this file.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
# An image whose flows or locales are broken is never built (the service would refuse to start).
COPY flows ./flows
COPY locales ./locales
RUN node dist/cli/flowsCheck.js

FROM node:24-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The compiled app and its commands (node dist/cli/staffAdd.js …: tsx, which `npm run` uses, is a dev dependency).
COPY --from=build /app/dist ./dist
# What the app reads at run time, where dist/ looks for it: the pages' and the console's assets
# (src/http/webChatPage.ts and consoleRoutes.ts resolve ../../src/…/public from dist/http), and the content.
COPY src/channels/web/public ./src/channels/web/public
COPY src/console/public ./src/console/public
COPY flows ./flows
COPY locales ./locales
# Everything above belongs to root: the app can read its code and content, not change them.
USER node
EXPOSE 3000
# slim has no curl: node asks /healthz (process alive; /readyz would also fail while Redis is down).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
