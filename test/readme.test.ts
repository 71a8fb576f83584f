import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInputObjectType, isInterfaceType, isObjectType, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GRAPHIQL_DOCUMENT, schema } from '../src/server/app.js';
import { BatchListDocument } from './generated/graphql.js';
import { dataOf, harnessPerDescribe } from './helpers/harness.js';

/** The README says what the API does: its operations validate, its names exist, its control table holds. */

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function fenced(language: string): string[] {
  return [...README.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);
}

/** The text of a `## heading` section, up to the next heading of the same level. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('the README', () => {
  it('every GraphQL operation in it, the curl examples and the GraphiQL default validate against the schema', () => {
    const operations = fenced('graphql').filter((block) => parse(block).definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION));
    const curled = fenced('sh').flatMap((block) => [...block.matchAll(/"query":"((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`) as string));
    expect(operations.length).toBeGreaterThanOrEqual(2);
    expect(curled.length).toBeGreaterThanOrEqual(1);
    for (const text of [...operations, ...curled, GRAPHIQL_DOCUMENT]) {
      expect(validate(schema(), parse(text)).map((error) => error.message), text).toEqual([]);
    }
  });

  it('every field and argument named in "The schema in brief" exists', () => {
    const names = new Set<string>();
    for (const type of Object.values(schema().getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          names.add(field.name);
          for (const arg of field.args) names.add(arg.name);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) names.add(field.name);
      }
    }
    const text = section('The schema in brief');
    const mentioned = [...text.matchAll(/`([a-z][A-Za-z]*)(\(([^)`]*)\))?`/g)].flatMap((match) => [match[1]!, ...(match[3] ? match[3].split(',').map((arg) => arg.trim().split(':')[0]!.trim()) : [])]);
    // Vendor wire names are snake_case and never match; words such as `null` are not names.
    const unknown = [...new Set(mentioned)].filter((name) => !names.has(name) && !['null', 'true', 'false'].includes(name));
    expect(mentioned.length).toBeGreaterThan(40);
    expect(unknown).toEqual([]);
  });
});

describe('the README control table', () => {
  const t = harnessPerDescribe();
  type Row = { control: string; flag: string; syllable: string; bolna: string };

  function rows(): Row[] {
    const table = section('The schema in brief').split('\n').filter((line) => /^\| `[a-zA-Z]+` \| `can/.test(line));
    return table.map((line) => {
      const [control, flag, syllable, bolna] = line.split('|').slice(1, 5).map((cell) => cell.trim());
      return { control: control!.replace(/`/g, ''), flag: flag!.replace(/`/g, ''), syllable: syllable!, bolna: bolna! };
    });
  }

  it('lists every control mutation, and says which vendor offers each exactly as the flags behave', async () => {
    const table = rows();
    // `createBatch` and `retryBatchTargets` make a batch rather than control one: "Launching a batch" and "Exporting and retrying" have them.
    const mutations = Object.keys(schema().getMutationType()!.getFields()).filter((name) => name !== 'createBatch' && name !== 'retryBatchTargets').sort();
    expect(table.map((row) => row.control).sort()).toEqual(mutations);
    const { batches } = dataOf(await t.h.gql(BatchListDocument, { first: 100, includeDeleted: true }));
    for (const row of table) {
      for (const vendor of ['SYLLABLE', 'BOLNA'] as const) {
        const cell = vendor === 'SYLLABLE' ? row.syllable : row.bolna;
        const offered = cell.startsWith('yes');
        expect(offered || cell.startsWith('no'), cell).toBe(true);
        const nodes = batches.edges.map((e) => e.node).filter((n) => n.vendor === vendor);
        const allowed = nodes.filter((n) => (n as unknown as Record<string, boolean>)[row.flag]);
        expect(allowed.length > 0, `${row.control} at ${vendor}`).toBe(offered);
        // Where the table names the statuses it allows, the flags allow exactly those.
        const statuses = [...cell.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]!);
        if (offered && statuses.length > 0) expect(new Set(allowed.map((n) => n.status)), `${row.control} at ${vendor}`).toEqual(new Set(statuses));
      }
    }
  });
});

describe('the README snippets, run as written against a server on a free port', () => {
  const t = harnessPerDescribe();
  const CURL_MISSING = 'curl not found: install curl (apt-get install -y curl) to run the README\'s curl examples.';
  const curlInstalled = spawnSync('curl', ['--version']).status === 0;
  if (!curlInstalled && process.env.CI) throw new Error(`CI is set but ${CURL_MISSING}`);
  if (!curlInstalled) console.warn(CURL_MISSING);

  /** Runs a command to its end (at most 10 s), without blocking this process's event loop. */
  const run = (command: string, args: string[], cwd?: string) =>
    new Promise<{ stdout: string }>((resolve) => {
      const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.once('close', () => resolve({ stdout }));
    });

  /** A snippet run as a bash script (`-e`) in `folder`. */
  const runScript = (script: string, folder: string) => run('bash', ['-e', '-c', script], folder);

  /** The snippet pointed at this test's server and one of its batches, otherwise as the README has it. */
  const here = (text: string) => text.replaceAll('127.0.0.1:4000', new URL(t.h.graphqlUrl).host).replaceAll('syllable:<batch id>', t.batches.active[0]!);

  it.skipIf(!curlInstalled)('each curl command answers with data, not errors', async () => {
    const commands = fenced('sh')
      .filter((block) => !block.includes('/uploads') && !block.includes('/results.csv'))
      .flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))
      .filter((line) => line.startsWith('curl '));
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) {
      // In a process of its own (the server answers in this one); a stream (`-N`) is cut after its first events.
      const { stdout } = await run('bash', ['-c', `${here(command)} --max-time 3`]);
      expect(stdout, here(command)).toMatch(/"data":\{/);
      expect(stdout, command).not.toMatch(/"errors"/);
    }
  });

  it.skipIf(!curlInstalled)('the upload snippet, run as a script in an empty folder, answers the check of its list', async () => {
    const [block] = fenced('sh').filter((text) => text.includes('/uploads'));
    const folder = mkdtempSync(join(tmpdir(), 'readme-upload-'));
    try {
      const { stdout } = await runScript(here(block!), folder);
      expect(JSON.parse(stdout)).toMatchObject({ uploadId: expect.stringMatching(/^upl_/) as unknown, validation: { total: 2, valid: 2, invalid: 0 } });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.skipIf(!curlInstalled)('the export snippet, run as a script in an empty folder, saves the batch\'s not-reached targets as CSV', async () => {
    const [block] = fenced('sh').filter((text) => text.includes('/results.csv'));
    const folder = mkdtempSync(join(tmpdir(), 'readme-export-'));
    try {
      const { stdout } = await runScript(here(block!), folder);
      expect(stdout).toMatch(/^id,vendor,batch_id,reference_id,phone_number,status,/);
      const lines = readFileSync(join(folder, 'not-reached.csv'), 'utf8').trim().split('\r\n');
      const id = t.batches.active[0]!;
      const expected = dataOf(await t.h.gql<{ batch: { results: { totalCount: number } } }, { id: string }>('query($id: ID!) { batch(id: $id) { results(first: 1, status: NOT_REACHED) { totalCount } } }', { id })).batch.results.totalCount;
      expect(lines).toHaveLength(expected + 1);
      expect(lines.slice(1).every((line) => line.includes(',NOT_REACHED,'))).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('the graphql-ws script prints the batch\'s first event, on this Node', async () => {
    const [script] = fenced('js');
    expect(script).toMatch(/graphql-ws/);
    // In the project folder, so its imports resolve as they do for a reader of the README.
    const file = join(process.cwd(), `.readme-snippet-${process.pid}.mjs`);
    writeFileSync(file, here(script!));
    try {
      const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event within 15 s: ${err}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolve(out.split('\n')[0]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
      });
      child.kill();
      expect(JSON.parse(line)).toMatchObject({ data: { batchProgress: { changed: [], batch: { status: 'ACTIVE' } } } });
    } finally {
      rmSync(file, { force: true });
    }
  }, 30_000);
});
