import type { ErrorRequestHandler } from 'express';

/**
 * Turns the errors of express.json (too large, malformed, wrong charset) into GraphQL-shaped JSON
 * with the right status, instead of express's HTML page (which shows a stack outside production).
 * Any other error becomes a bare 500.
 *
 *     app.use('/graphql', express.json({ limit }), ..., bodyErrorHandler(limit));
 */
export function bodyErrorHandler(limit: string): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const [status, message, code] = describe(error, limit);
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

function describe(error: { type?: string; status?: number }, limit: string): [number, string, string] {
  switch (error.type) {
    case 'entity.too.large':
      return [413, `The request body is larger than the limit of ${limit}.`, 'PAYLOAD_TOO_LARGE'];
    case 'entity.parse.failed':
      return [400, 'The request body is not valid JSON.', 'BAD_REQUEST'];
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return [415, 'The request body must be UTF-8 JSON.', 'BAD_REQUEST'];
    default:
      return [error.status && error.status >= 400 && error.status < 500 ? error.status : 500, 'The request could not be read.', 'BAD_REQUEST'];
  }
}
