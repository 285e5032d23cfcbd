# Chainlab as a container: build the static site, then serve it with an unprivileged nginx on
# port 8080 (Azure Container Instances, App Service for Containers, Container Apps).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.27-alpine
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY deploy/chainlab-headers.inc /etc/nginx/conf.d/chainlab-headers.inc
COPY --from=build /app/dist /usr/share/nginx/html
EXPOSE 8080
