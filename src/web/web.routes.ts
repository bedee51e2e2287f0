import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import accepts from 'accepts';
import express, { type RequestHandler, type Router } from 'express';
import { PROJECT_ROOT } from '../projectRoot';

/** Where the page sources live (served as they are: plain JS, HTML and CSS, no build step). */
const WEB_DIR = path.join(PROJECT_ROOT, 'src', 'web');

/**
 * The browser libraries the pages use, served from node_modules' own prebuilt bundles under /assets/vendor/.
 * Nothing is fetched from a CDN: the pages work on a machine with no internet.
 */
const VENDOR_FILES: Readonly<Record<string, readonly [pkg: string, file: string]>> = Object.freeze({
  'react.js': ['react', 'umd/react.production.min.js'],
  'react-dom.js': ['react-dom', 'umd/react-dom.production.min.js'],
  'graphiql.js': ['graphiql', 'graphiql.min.js'],
  'graphiql.css': ['graphiql', 'graphiql.min.css'],
  'cytoscape.js': ['cytoscape', 'dist/cytoscape.min.js'],
  'cytoscape-svg.js': ['cytoscape-svg', 'cytoscape-svg.js'],
});

/**
 * A file of an installed package, looked up along Node's module paths (UMD files and even package.json are
 * not in every package's `exports` map, so require.resolve cannot name them).
 */
export function packageFile(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = path.join(dir, pkg, file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${pkg}/${file} is missing: run npm install`);
}

/** The page sources under /assets/. */
const PAGE_FILES: readonly string[] = ['explorer.js', 'explorer.css', 'graph.js', 'graph.css', 'common.js'];

/**
 * Only our own origin: scripts, styles, fonts and requests never leave the server, even if a library tried.
 * GraphiQL sets inline style attributes and embeds its fonts as data: URLs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** True when the request is a browser navigation (HTML preferred over JSON), not a GraphQL-over-HTTP GET. */
export function wantsHtml(req: IncomingMessage): boolean {
  return accepts(req).type(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

function sendPage(file: string): RequestHandler {
  return (_req, res) => {
    res.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    res.sendFile(path.join(WEB_DIR, file));
  };
}

/**
 * The browser pages: the GraphQL explorer (GraphiQL) at GET /graphql for browsers, and the visual graph at
 * GET /graph. The server sends HTML GETs of /graphql here and every other /graphql request to Apollo
 * (src/http/graphqlHttp.ts).
 *
 *     app.use(createWebRouter());
 */
export function createWebRouter(): Router {
  const router = express.Router();
  const explorer = sendPage('explorer.html');

  router.get('/graphql', (req, res, next) => {
    if (!wantsHtml(req)) return next();
    explorer(req, res, next);
  });
  router.get('/graph', sendPage('graph.html'));

  for (const [name, [pkg, relative]] of Object.entries(VENDOR_FILES)) {
    const file = packageFile(pkg, relative);
    router.get(`/assets/vendor/${name}`, (_req, res) => {
      res.set({ 'X-Content-Type-Options': 'nosniff' });
      res.sendFile(file, { maxAge: '1d' });
    });
  }
  for (const name of PAGE_FILES) {
    router.get(`/assets/${name}`, (_req, res) => {
      res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
      res.sendFile(path.join(WEB_DIR, name));
    });
  }
  return router;
}
