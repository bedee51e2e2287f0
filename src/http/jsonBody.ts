import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { json } from 'body-parser';
import bytes from 'bytes';
import getRawBody from 'raw-body';
import onFinished from 'on-finished';
import type { Middleware } from './middleware';

/**
 * A request every GraphQL client sends: `Content-Type: application/json`, at most with `charset=utf-8`, and no
 * `Content-Encoding`. Case-insensitive, as media types and charsets are.
 */
const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;

const isPlainJson = (req: IncomingMessage): boolean => {
  const type = req.headers['content-type'];
  const encoding = req.headers['content-encoding'];
  return type !== undefined && PLAIN_JSON.test(type) && (encoding === undefined || encoding.toLowerCase() === 'identity');
};

/** What body-parser's strict JSON parser fails a body with that is not a JSON object or array (or is not JSON). */
class BodyParseError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly type = 'entity.parse.failed';
}

/**
 * What the route fails a body with that is declared UTF-8 (every JSON body is, unless it names another charset) but whose
 * bytes are not: decoding would replace each bad sequence with U+FFFD, and a name or a quotation stored from it would
 * silently differ from what the client meant to send.
 */
class BodyEncodingError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly type = 'entity.encoding.invalid';
}

/**
 * body-parser's `verify` hook for a JSON body's bytes (after any decompression): refuses a UTF-8 body that is not valid
 * UTF-8. The GraphQL route checks its plain bodies the same way (see {@link parseInto}); bodies in another charset are
 * decoded by body-parser, which refuses what it cannot decode.
 */
export function refuseInvalidUtf8(_req: IncomingMessage, _res: unknown, buffer: Buffer, encoding: string | null): void {
  if ((encoding === null || encoding.toLowerCase() === 'utf-8') && !isUtf8(buffer)) {
    throw new BodyEncodingError('The request body is not valid UTF-8.');
  }
}

/** The first character of `text` that is not JSON whitespace (space, tab, line feed, carriage return), or NaN. */
function firstNonWhitespace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return code;
  }
  return NaN;
}

/** body-parser's strict `json()`: an empty body is `{}`; anything but an object or an array is refused. */
function parseStrict(text: string): unknown {
  // iconv-lite, which body-parser decodes with, drops a byte order mark; JSON.parse would refuse it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  const first = firstNonWhitespace(body);
  if (first !== 0x7b && first !== 0x5b) throw new BodyParseError('The request body is not a JSON object or array.');
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new BodyParseError((error as Error).message);
  }
}

/**
 * The GraphQL route's JSON body parser: body-parser's `json({ limit })`, with the request every client sends read
 * without it. For a plain UTF-8 JSON body (see {@link PLAIN_JSON}) it takes the bytes Node has already buffered when
 * they are the whole body ({@link takeWholeBody}) or else reads them with raw-body, as body-parser does, and parses them
 * as body-parser's strict parser does, with the same errors (`entity.too.large` 413,
 * `entity.parse.failed` 400, `request.aborted`, `request.size.invalid`; and, as both refuse a UTF-8 body whose bytes are
 * not UTF-8, `entity.encoding.invalid` 400), answered once the client has sent its whole
 * body, as body-parser answers them. Every other request (another charset, a compressed body, another media type,
 * no body) goes to body-parser itself.
 *
 * body-parser's generality costs a request about 20 µs of CPU that this route needs for none of its requests: it
 * matches the media type through type-is and mime-types, parses the header with content-type, and decodes through an
 * iconv-lite decoder made for each request (bench/README.md, "December 3rd, afternoon").
 *
 *     const steps = [...before, jsonBody('100kb')];
 */
export function jsonBody(limit: string): Middleware {
  const general = json({ limit, verify: refuseInvalidUtf8 });
  const limitBytes = bytes.parse(limit);
  if (limitBytes === null || !Number.isFinite(limitBytes)) throw new Error(`jsonBody: not a size: ${limit}`);
  return (req, res, next) => {
    const length = req.headers['content-length'];
    // As type-is's `hasBody`, which body-parser asks: an empty body (`Content-Length: 0`) is parsed, to `{}`.
    const hasBody = req.headers['transfer-encoding'] !== undefined || length !== undefined;
    if (!hasBody || !isPlainJson(req)) {
      general(req, res, next);
      return;
    }
    // Node's HTTP parser emits `request` before it reads the body from the same packet. Once it has, the whole
    // body is usually buffered in the request already: see {@link takeWholeBody}.
    queueMicrotask(() => {
      let whole: Buffer | undefined;
      try {
        whole = takeWholeBody(req, length, limitBytes);
      } catch (error) {
        next(error);
        return;
      }
      if (whole === undefined) readBody(req, length, limitBytes, next);
      else parseInto(req, whole, next);
    });
  };
}

/**
 * The request's whole body, if it has a `Content-Length`, is within the limit and Node's HTTP parser has buffered all of
 * it, unread; otherwise undefined, and the request is left as it was for raw-body. Most GraphQL requests come in one
 * packet with their headers: Node emits `request` before it parses the body, and by the next microtask the body is in
 * the request's buffer. Taking it from there spares raw-body's five listeners and the stream's flowing mode for each
 * chunk (bench/README.md). The parser never buffers more of a request than its `Content-Length`, so a buffer of that
 * length is the whole body, the bytes raw-body would have read.
 */
function takeWholeBody(req: IncomingMessage, length: string | undefined, limitBytes: number): Buffer | undefined {
  if (length === undefined || req.headers['transfer-encoding'] !== undefined) return undefined;
  const expected = Number(length);
  if (expected > limitBytes || req.readableLength !== expected || req.readableFlowing !== null || req.readableEncoding !== null) return undefined;
  // `read()` of a paused stream hands over everything buffered; `resume()` lets it end (and emit `end`) when the parser
  // reaches the end of the message.
  const buffer = expected === 0 ? EMPTY : (req.read() as Buffer);
  req.resume();
  return buffer;
}

const EMPTY = Buffer.alloc(0);

/** Reads the body with raw-body, as body-parser does, and answers its errors once the client has sent everything. */
function readBody(req: IncomingMessage, length: string | undefined, limitBytes: number, next: (error?: unknown) => void): void {
  getRawBody(req, { length, limit: limitBytes }, (error, buffer) => {
    if (error) {
      // As body-parser does: the rest of the body is read (and dropped) before the error is answered.
      if (onFinished.isFinished(req)) next(error);
      else {
        onFinished(req, () => next(error));
        req.resume();
      }
      return;
    }
    parseInto(req, buffer, next);
  });
}

function parseInto(req: IncomingMessage, buffer: Buffer, next: (error?: unknown) => void): void {
  try {
    refuseInvalidUtf8(req, undefined, buffer, null);
    (req as { body?: unknown }).body = parseStrict(buffer.toString('utf8'));
  } catch (parseError) {
    next(parseError);
    return;
  }
  next();
}
