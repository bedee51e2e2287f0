# The API image of db/docker-compose.yml (build context: the repository root).
# Compiled once here (`npm run build`); the image runs dist/ on plain Node, as `npm start` does.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
COPY --from=build /app/dist ./dist
RUN rm -rf db/data
USER node
EXPOSE 4000
