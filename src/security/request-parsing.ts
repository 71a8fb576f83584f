import { createGraphQLError, type Plugin } from 'graphql-yoga';

function tooLarge(limit: number) {
  return createGraphQLError(`Request body too large: at most ${limit} bytes (MAX_REQUEST_BODY_BYTES).`, { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });
}

function badRequest(message: string) {
  return createGraphQLError(message, { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
}

/**
 * Guards the step from HTTP request to GraphQL parameters:
 * - A body over `limit` bytes is refused with 413 before it is parsed. yoga's own limit pipes
 *   every body through a TransformStream (an AbortController and a DOMException per request,
 *   ~5 % of a simple read's CPU in the profile); a body with a Content-Length cannot outgrow it
 *   (Node's parser reads exactly that many bytes), so the header is checked and only chunked
 *   bodies are counted as they stream. Replaces yoga's `maxRequestBodySize`, which is off.
 * - Malformed JSON in a GET's `variables` or `extensions` (or in a form body) is a 400 with a
 *   code, not a 500.
 */
export function useRequestParsingGuards(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser) return;
      let parse = requestParser;
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!/^\d+$/.test(declared.trim())) throw badRequest('Invalid Content-Length header.');
        if (Number(declared) > limit) throw tooLarge(limit);
      } else if (request.body) {
        const inner = parse;
        parse = (req) => {
          let bytes = 0;
          const counted = req.body!.pipeThrough(
            new fetchAPI.TransformStream<Uint8Array, Uint8Array>({
              transform(chunk, controller) {
                bytes += chunk.byteLength;
                if (bytes > limit) controller.error(tooLarge(limit));
                else controller.enqueue(chunk);
              },
            }),
          );
          return inner(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body: counted, duplex: 'half' } as RequestInit));
        };
      }
      // yoga answers malformed JSON in a JSON body with a 400 itself; only other parsers need the guard.
      if (/json/i.test(request.headers.get('content-type') ?? '') && request.method === 'POST') {
        if (parse !== requestParser) setRequestParser(parse);
        return;
      }
      const guarded = parse;
      setRequestParser(async (req) => {
        try {
          return await guarded(req);
        } catch (error) {
          if (error instanceof SyntaxError) {
            throw badRequest(req.method === 'GET' ? 'Malformed JSON in the `variables` or `extensions` query parameter.' : 'The request body is not valid JSON.');
          }
          throw error;
        }
      });
    },
  };
}
