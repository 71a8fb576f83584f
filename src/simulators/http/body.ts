import type { IncomingMessage } from 'node:http';

/** A request body as the simulator read it. */
export interface ReadBody {
  /** JSON as parsed; a form (urlencoded or multipart) as its text fields; null when empty. */
  readonly value: unknown;
  readonly malformed: boolean;
  /** The media type without parameters (`application/json`, `multipart/form-data`); '' when none. */
  readonly contentType: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a body as its content type says: JSON, or a form (urlencoded or multipart) as its text fields. */
export async function readBody(req: IncomingMessage): Promise<ReadBody> {
  const header = req.headers['content-type'] ?? '';
  const contentType = header.split(';')[0]!.trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { value: null, malformed: true, contentType };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { value: null, malformed: false, contentType };
  const bytes = Buffer.concat(chunks);
  try {
    if (contentType === 'application/x-www-form-urlencoded' || contentType === 'multipart/form-data') {
      // The platform's own form parser (undici's), as a vendor's framework would parse it.
      const form = await new Request('http://simulator/', { method: 'POST', headers: { 'content-type': header }, body: bytes }).formData();
      const fields: Record<string, string> = {};
      for (const [name, value] of form.entries()) if (typeof value === 'string') fields[name] = value;
      return { value: fields, malformed: false, contentType };
    }
    return { value: JSON.parse(bytes.toString('utf8')) as unknown, malformed: false, contentType };
  } catch {
    return { value: null, malformed: true, contentType };
  }
}
