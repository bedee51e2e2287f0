import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { json } from 'body-parser';
import { jsonBody, refuseInvalidUtf8 } from '../../src/http/jsonBody';
import type { Middleware } from '../../src/http/middleware';

/**
 * The GraphQL route reads plain JSON bodies without body-parser (src/http/jsonBody.ts). Each request below goes to
 * two servers, one parsing with `jsonBody`, one with body-parser's `json()` (with the route's check that a UTF-8 body's
 * bytes are UTF-8, `refuseInvalidUtf8`), and both must end the same way: the same parsed body, or an error of the same
 * type and status.
 */
interface Outcome {
  body?: unknown;
  hasBody?: boolean;
  error?: { type: unknown; status: unknown };
}

function serve(parse: Middleware): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    parse(req, res, (error?: unknown) => {
      const outcome: Outcome = error
        ? { error: { type: (error as { type?: unknown }).type, status: (error as { status?: unknown }).status } }
        : { hasBody: 'body' in req && (req as { body?: unknown }).body !== undefined, body: (req as { body?: unknown }).body };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(outcome));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

/** Sends `body` with `headers` (Content-Length added unless given or chunked) and returns the server's outcome. */
function send(port: number, body: Buffer | string, headers: Record<string, string>): Promise<Outcome> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const chunked = headers['transfer-encoding'] === 'chunked';
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/graphql',
        headers: { ...(chunked ? {} : { 'content-length': String(bytes.length) }), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Outcome));
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

/**
 * Sends a request's head and then, `delayMs` later, its body in `parts`, over a raw socket, so the body is not in the
 * packet that carried the headers (Node's HTTP parser then has none of it buffered when the route starts reading).
 */
function sendInParts(port: number, body: string, parts: number, delayMs: number): Promise<Outcome> {
  const bytes = Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`);
      const size = Math.ceil(bytes.length / parts);
      let sent = 0;
      const next = (): void => {
        if (sent >= bytes.length) return;
        socket.write(bytes.subarray(sent, sent + size));
        sent += size;
        setTimeout(next, delayMs);
      };
      setTimeout(next, delayMs);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Outcome);
    });
    socket.on('error', reject);
  });
}

const LIMIT = '1kb';
const query = JSON.stringify({ query: 'query Q($n: String) { search(query: $n) { totalCount } }', variables: { n: 'Kokang 果敢 ខេត្ត' } });

const CASES: [string, Buffer | string, Record<string, string>][] = [
  ['plain JSON', query, { 'content-type': 'application/json' }],
  ['JSON with charset=utf-8', query, { 'content-type': 'application/json; charset=utf-8' }],
  ['upper-case media type and quoted charset', query, { 'content-type': 'Application/JSON;charset="UTF-8"' }],
  ['spaces around the charset parameter', query, { 'content-type': 'application/json ; charset = utf-8 ' }],
  ['a tab before the charset parameter', query, { 'content-type': 'application/json;\tcharset=utf-8' }],
  ['a tab before the semicolon', query, { 'content-type': 'application/json\t; charset=utf-8' }],
  ['a charset parameter twice', query, { 'content-type': 'application/json; charset=utf-8; charset=utf-8' }],
  ['another parameter', query, { 'content-type': 'application/json; profile=x' }],
  ['a byte order mark', `\uFEFF${query}`, { 'content-type': 'application/json' }],
  ['leading whitespace', `\r\n\t ${query}`, { 'content-type': 'application/json' }],
  ['a JSON array', `[${query}]`, { 'content-type': 'application/json' }],
  ['an empty body', '', { 'content-type': 'application/json' }],
  ['a byte order mark alone', '\uFEFF', { 'content-type': 'application/json' }],
  ['a byte order mark, then whitespace', '\uFEFF \n', { 'content-type': 'application/json' }],
  ['a no-break space before the object', `\u00A0${query}`, { 'content-type': 'application/json' }],
  ['whitespace only', '   ', { 'content-type': 'application/json' }],
  ['a JSON number (strict)', '42', { 'content-type': 'application/json' }],
  ['a JSON string (strict)', '"query"', { 'content-type': 'application/json' }],
  ['malformed JSON', '{"query": "{ __typename }"', { 'content-type': 'application/json' }],
  ['invalid UTF-8 bytes', Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { 'content-type': 'application/json' }],
  ['invalid UTF-8 bytes, charset=utf-8', Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]), { 'content-type': 'application/json; charset=utf-8' }],
  ['invalid UTF-8 bytes, gzip', zlib.gzipSync(Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
  ['a body over the limit', JSON.stringify({ query: 'x'.repeat(2000) }), { 'content-type': 'application/json' }],
  ['a chunked body', query, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
  ['a chunked body over the limit', JSON.stringify({ query: 'x'.repeat(2000) }), { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
  ['a gzip body', zlib.gzipSync(query), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
  ['Content-Encoding identity', query, { 'content-type': 'application/json', 'content-encoding': 'identity' }],
  ['an unknown content encoding', query, { 'content-type': 'application/json', 'content-encoding': 'x-compress' }],
  ['charset latin1', query, { 'content-type': 'application/json; charset=latin1' }],
  ['charset utf-16', Buffer.from(query, 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' }],
  ['another media type', query, { 'content-type': 'text/plain' }],
  ['a +json media type', query, { 'content-type': 'application/graphql-response+json' }],
  ['no content type', query, {}],
  ['a malformed content type', query, { 'content-type': 'application/json; charset' }],
];

describe('jsonBody: the GraphQL route reads bodies as body-parser would', () => {
  let ours: Awaited<ReturnType<typeof serve>>;
  let theirs: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    ours = await serve(jsonBody(LIMIT));
    theirs = await serve(json({ limit: LIMIT, verify: refuseInvalidUtf8 }));
  });
  afterAll(async () => {
    await ours.close();
    await theirs.close();
  });

  it.each(CASES)('%s', async (_name, body, headers) => {
    const [a, b] = await Promise.all([send(ours.port, body, headers), send(theirs.port, body, headers)]);
    expect(a).toEqual(b);
  });

  it.each([
    ['a body after its headers, in one part', query, 1],
    ['a body after its headers, in three parts', query, 3],
    ['a body over the limit after its headers', JSON.stringify({ query: 'x'.repeat(2000) }), 4],
    ['malformed JSON after its headers', '{"query": "{ __typename }"', 2],
  ])('%s', async (_name, body, parts) => {
    const [a, b] = await Promise.all([sendInParts(ours.port, body, parts, 20), sendInParts(theirs.port, body, parts, 20)]);
    expect(a).toEqual(b);
    if (body === query) expect(a).toEqual({ hasBody: true, body: JSON.parse(query) });
  });

  it('parses what every GraphQL client sends, and refuses too large and malformed bodies with the errors the route answers', async () => {
    expect(await send(ours.port, query, { 'content-type': 'application/json' })).toEqual({ hasBody: true, body: JSON.parse(query) });
    expect(await send(ours.port, JSON.stringify({ query: 'x'.repeat(2000) }), { 'content-type': 'application/json' })).toEqual({
      error: { type: 'entity.too.large', status: 413 },
    });
    expect(await send(ours.port, '{"query"', { 'content-type': 'application/json' })).toEqual({ error: { type: 'entity.parse.failed', status: 400 } });
    expect(await send(ours.port, Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), { 'content-type': 'application/json' })).toEqual({
      error: { type: 'entity.encoding.invalid', status: 400 },
    });
    expect(await send(ours.port, query, { 'content-type': 'application/json; charset=latin1' })).toEqual({
      error: { type: 'charset.unsupported', status: 415 },
    });
  });
});
