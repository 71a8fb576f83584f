import { z } from 'zod';

/**
 * Building blocks for reading settings from the environment, shared by the API's `loadConfig`
 * and the simulators' `loadSimulatorSettings`: empty means unset, every problem is collected,
 * and the caller gets a typed object or one ConfigError listing them all.
 */

export type Env = Readonly<Record<string, string | undefined>>;

// An empty variable counts as unset, so `FOO=` in a .env file does not turn a feature on.
export const optionalString = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());

export function integer(name: string, fallback: number, min: number, max: number) {
  return z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? String(fallback) : v),
    z
      .string()
      .regex(/^\d+$/, `${name} must be a whole number`)
      .transform(Number)
      .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`)),
  );
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses `env` with `schema`; every problem is reported together. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  return parsed.data;
}

/** `true`/`false` (also 1/0, yes/no); unset gives `fallback`. */
export function boolean(name: string, fallback: boolean) {
  return z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? String(fallback) : typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `${name} must be true or false` }).transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );
}

/** An optional boolean: unset stays undefined, so the caller picks the default from other settings. */
export function optionalBoolean(name: string) {
  return z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : typeof v === 'string' ? v.trim().toLowerCase() : v),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `${name} must be true or false` })
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .optional(),
  );
}
