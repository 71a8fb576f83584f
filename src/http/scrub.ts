/**
 * Vendor error text is shown to clients and may be logged, but vendors echo what they were sent:
 * the key, the URL, the host. Those are cut before the text leaves the HTTP client.
 */
export function scrubVendorText(text: string, secrets: { readonly apiKey: string; readonly baseUrl: string }, maxLength = 200): string {
  let scrubbed = text;
  const host = safeHost(secrets.baseUrl);
  for (const secret of [secrets.apiKey, secrets.baseUrl.replace(/\/+$/, ''), host]) {
    if (secret && secret.length >= 4) scrubbed = scrubbed.split(secret).join('[redacted]');
  }
  scrubbed = scrubbed
    // Any URL, with or without the scheme the vendor used.
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, '[url]')
    // Anything that reads like a credential: "Bearer xyz", "api_key=xyz", "key: xyz".
    .replace(/\b(bearer|basic)\s+[^\s"',;]+/gi, '$1 [redacted]')
    .replace(/\b(api[-_]?key|token|secret|password|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, '$1$2[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return scrubbed.length > maxLength ? `${scrubbed.slice(0, maxLength)}…` : scrubbed;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
