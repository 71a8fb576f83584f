import { optionalString } from '../env.js';

/** Field readers shared by the sections of the API's configuration. */

export function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export const httpUrl = (name: string) =>
  optionalString.refine((u) => u === undefined || isHttpUrl(u), `${name} must be an absolute http(s) URL such as https://api.example.com`);

/** Reads a secret; short ones are refused, since HS256 with a guessable key is no protection. */
export const secret = (name: string, minLength: number) =>
  optionalString.refine((v) => v === undefined || Buffer.byteLength(v) >= minLength, `${name} must be at least ${minLength} bytes long`);

/** A comma-separated list, items trimmed, empty ones dropped. */
export const commaList = optionalString.transform((v) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
