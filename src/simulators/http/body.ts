import type { IncomingMessage } from 'node:http';

/** A file part of a multipart body. */
export interface FormFile {
  readonly fileName: string;
  readonly text: string;
}

/** A form (urlencoded or multipart) with its repeated fields and its files. */
export interface FormBody {
  /** Every value of a text field, in order (`from_phone_numbers` repeats). */
  readonly fields: ReadonlyMap<string, readonly string[]>;
  readonly files: ReadonlyMap<string, FormFile>;
}

/** A request body as the simulator read it. */
export interface ReadBody {
  /**
   * JSON as parsed; a form as its text fields (the last value of each) and, for a file part, its
   * name and size (not its content, which `form` holds); null when empty.
   */
  readonly value: unknown;
  readonly malformed: boolean;
  /** The media type without parameters (`application/json`, `multipart/form-data`); '' when none. */
  readonly contentType: string;
  /** The form in full; null for a body that is not a form. */
  readonly form: FormBody | null;
}

/** Uploads of 100,000 targets fit. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Reads a body as its content type says: JSON, or a form (urlencoded or multipart). */
export async function readBody(req: IncomingMessage): Promise<ReadBody> {
  const header = req.headers['content-type'] ?? '';
  const contentType = header.split(';')[0]!.trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { value: null, malformed: true, contentType, form: null };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { value: null, malformed: false, contentType, form: null };
  const bytes = Buffer.concat(chunks);
  try {
    if (contentType === 'application/x-www-form-urlencoded' || contentType === 'multipart/form-data') {
      // The platform's own form parser (undici's), as a vendor's framework would parse it.
      const parsed = await new Request('http://simulator/', { method: 'POST', headers: { 'content-type': header }, body: bytes }).formData();
      const value: Record<string, unknown> = {};
      const fields = new Map<string, string[]>();
      const files = new Map<string, FormFile>();
      for (const [name, part] of parsed.entries()) {
        if (typeof part === 'string') {
          value[name] = part;
          fields.set(name, [...(fields.get(name) ?? []), part]);
        } else {
          const text = await part.text();
          files.set(name, { fileName: part.name, text });
          value[name] = { fileName: part.name, bytes: part.size };
        }
      }
      return { value, malformed: false, contentType, form: { fields, files } };
    }
    return { value: JSON.parse(bytes.toString('utf8')) as unknown, malformed: false, contentType, form: null };
  } catch {
    return { value: null, malformed: true, contentType, form: null };
  }
}
