import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/**
 * Structured JSON logs (pino), one object a line. Callers pass only non-secret values and never
 * log request headers whole (pino's redaction cost as much as the rest of pino per request line);
 * a test greps every line of a run for the secrets.
 */
export type Logger = PinoLogger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Names the process in every line. @default outbound-graph */
  readonly name?: string;
  /** Where lines go. @default stdout */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'outbound-graph',
      level: options.level ?? 'info',
      // Readable level names and ISO times: the lines are read by people as often as by tools.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A destination that hands each line to `write` (tests and tools that read the logs). */
export function lineDestination(write: (line: string) => void): DestinationStream {
  return { write: (chunk: string) => void write(chunk.replace(/\n$/, '')) };
}

export const silentLogger: Logger = pino({ level: 'silent' });
