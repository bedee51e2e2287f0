# The API image of db/docker-compose.yml (build context: the repository root).
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
RUN rm -rf db/data
USER node
EXPOSE 4000
