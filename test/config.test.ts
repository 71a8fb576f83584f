import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { loadSimulatorSettings } from '../src/simulators/settings.js';

const AGENT = '3c90c3cc-0d44-4b50-8888-8dd25736052a';

function problems(env: Record<string, string>, load: (env: Record<string, string>) => unknown = loadConfig): readonly string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('with no key set runs in demo mode on defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ demo: true, host: '127.0.0.1', port: 4000, syllable: null, bolna: null });
    expect(config.http.bolna).toMatchObject({ connectTimeoutMs: 3000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, maxConcurrency: 32 });
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ SYLLABLE_API_KEY: '', BOLNA_API_KEY: '  ', PORT: '' })).toMatchObject({ demo: true, port: 4000 });
  });

  it('enables only the vendors with keys, on their documented base URLs', () => {
    const config = loadConfig({ AUTH_DISABLED: 'true', BOLNA_API_KEY: 'k', BOLNA_AGENT_IDS: `${AGENT}, ${AGENT.replace('3c', '4d')}` });
    expect(config.demo).toBe(false);
    expect(config.syllable).toBeNull();
    expect(config.bolna).toMatchObject({ baseUrl: 'https://api.bolna.ai', agentIds: [AGENT, AGENT.replace('3c', '4d')] });
    expect(loadConfig({ AUTH_DISABLED: 'true', SYLLABLE_API_KEY: 'k' }).syllable).toMatchObject({ baseUrl: 'https://api.syllable.cloud' });
  });

  it('warns when Bolna has a key but no agents to list', () => {
    expect(loadConfig({ AUTH_DISABLED: 'true', BOLNA_API_KEY: 'k' }).warnings.join()).toMatch(/BOLNA_AGENT_IDS is empty/);
  });

  it('reports every wrong value at once, each with a clear message', () => {
    const found = problems({ PORT: 'eighty', SYLLABLE_BASE_URL: 'api.syllable.cloud', BOLNA_AGENT_IDS: 'not-a-uuid', BOLNA_MAX_CONCURRENCY: '0' });
    expect(found).toEqual([
      'PORT must be a whole number',
      'SYLLABLE_BASE_URL must be an absolute http(s) URL such as https://api.example.com',
      'BOLNA_AGENT_IDS must be a comma-separated list of agent UUIDs',
      'BOLNA_MAX_CONCURRENCY must be at least 1',
    ]);
  });

  it('reads simulator faults from the environment and rejects malformed ones', () => {
    expect(loadSimulatorSettings({ SIM_BOLNA_FAULTS: '[{"status": 503, "rate": 0.2}]' }).faults.bolna).toEqual([{ status: 503, rate: 0.2 }]);
    expect(problems({ SIM_SYLLABLE_FAULTS: '{"kind": "explode"}', SIM_BOLNA_FAULTS: 'nope' }, loadSimulatorSettings)).toEqual([
      expect.stringMatching(/^SIM_SYLLABLE_FAULTS: kind must be one of reset/),
      'SIM_BOLNA_FAULTS must be a JSON array of faults',
    ]);
  });

  it('never puts a key in an error message', () => {
    const error = (() => {
      try {
        loadConfig({ SYLLABLE_API_KEY: 'secret-123', PORT: '70000' });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/PORT must be at most 65535/);
    expect(error?.message).not.toContain('secret-123');
  });

  it('with vendor keys, refuses to start without caller auth unless AUTH_DISABLED=true, which warns', () => {
    expect(problems({ SYLLABLE_API_KEY: 'k' }).join()).toMatch(/caller authentication is not: set AUTH_JWT_SECRET or AUTH_JWKS_URL/);
    const open = loadConfig({ SYLLABLE_API_KEY: 'k', AUTH_DISABLED: 'true' });
    expect(open.auth.enabled).toBe(false);
    expect(open.warnings.join()).toMatch(/AUTH_DISABLED=true: anyone who can reach this server/);
    expect(loadConfig({ SYLLABLE_API_KEY: 'k', AUTH_JWKS_URL: 'https://id.example.test/jwks.json' }).auth).toMatchObject({ enabled: true, jwksUrl: 'https://id.example.test/jwks.json' });
  });

  it('checks auth, CORS and profile settings', () => {
    expect(problems({ AUTH_JWT_SECRET: 'short' })).toEqual(['AUTH_JWT_SECRET must be at least 32 bytes long']);
    expect(problems({ AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWKS_URL: 'https://id.example.test/jwks.json' })).toEqual(['Set AUTH_JWT_SECRET or AUTH_JWKS_URL, not both.']);
    expect(problems({ CORS_ORIGINS: 'dash.example.test' }).join()).toMatch(/CORS_ORIGINS must be/);
    expect(problems({ CORS_ORIGINS: '*,https://a.example.test' })).toEqual(['CORS_ORIGINS is `*` or a list of origins, not both.']);
    expect(problems({ INTROSPECTION: 'maybe' })).toEqual(['INTROSPECTION must be true or false']);
    expect(loadConfig({}).server).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig({ NODE_ENV: 'production' }).server).toMatchObject({ introspection: false, graphiql: false, dashboard: false });
    expect(loadConfig({}).server.dashboard).toBe(true);
    expect(loadConfig({ DASHBOARD: 'false' }).server.dashboard).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DASHBOARD: 'true' }).server.dashboard).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', INTROSPECTION: 'true' }).server.introspection).toBe(true);
    // Demo mode with a secret: auth on, so it can be tried locally.
    expect(loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32) }).auth.enabled).toBe(true);
  });
});
