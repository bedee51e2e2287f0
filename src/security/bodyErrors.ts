import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/middleware';

/** What the JSON body parsers fail with: body-parser's (as express.json) and the GraphQL route's (src/http/jsonBody.ts), alike. */
export interface BodyError {
  type?: string;
  status?: number;
}

/**
 * Answers an error of the JSON body parser (too large, malformed, wrong charset) as GraphQL-shaped JSON
 * with the right status, instead of express's HTML page (which shows a stack outside production).
 * Any other error becomes a bare 500.
 *
 *     json(req, res, (error) => (error ? sendBodyError(res, error, limit) : next()));
 */
export function sendBodyError(res: ServerResponse, error: BodyError, limit: string): void {
  const [status, message, code] = describe(error, limit);
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

function describe(error: BodyError, limit: string): [number, string, string] {
  switch (error.type) {
    case 'entity.too.large':
      return [413, `The request body is larger than the limit of ${limit}.`, 'PAYLOAD_TOO_LARGE'];
    case 'entity.parse.failed':
      return [400, 'The request body is not valid JSON.', 'BAD_REQUEST'];
    case 'entity.encoding.invalid':
      return [400, 'The request body is not valid UTF-8.', 'BAD_REQUEST'];
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return [415, 'The request body must be UTF-8 JSON.', 'BAD_REQUEST'];
    default:
      return [error.status && error.status >= 400 && error.status < 500 ? error.status : 500, 'The request could not be read.', 'BAD_REQUEST'];
  }
}
