/** Plain line logger on stderr. Callers pass only non-secret values; keys never reach it. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(prefix = 'outbound-graph', write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const at = (level: string) => (message: string) => write(`${new Date().toISOString()} ${level} [${prefix}] ${message}`);
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
