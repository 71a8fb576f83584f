/**
 * Messages for the next page shown, once: what a retry did and should be read with, told on the
 * page of the batch it made.
 */
let pending: readonly string[] = [];

export function flash(messages: readonly string[]): void {
  pending = messages;
}

export function takeFlash(): readonly string[] {
  const messages = pending;
  pending = [];
  return messages;
}
