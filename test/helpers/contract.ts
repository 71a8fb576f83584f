import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Validates vendor responses against the vendors' OpenAPI 3.1 documents (copied into
 * test/fixtures/contracts) with Ajv, a JSON Schema 2020-12 validator. The response schema is
 * looked up by method, path template and status, as the document declares it.
 */

interface MediaType {
  schema?: unknown;
  example?: unknown;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, MediaType> }; responses?: Record<string, { content?: Record<string, MediaType> }> }>>;
}

export class Contract {
  private readonly ajv: Ajv2020;
  private readonly document: OpenApiDocument;
  private readonly cache = new Map<string, ValidateFunction>();
  private static readonly ID = 'contract';

  constructor(fixture: string) {
    this.document = JSON.parse(readFileSync(new URL(`../fixtures/contracts/${fixture}`, import.meta.url), 'utf8')) as OpenApiDocument;
    // strict off: OpenAPI adds keywords (`example`, `nullable`) that are not JSON Schema.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    // OpenAPI numeric formats carry no constraint beyond the type.
    for (const format of ['int32', 'int64', 'float', 'double', 'integer']) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ ...this.document, $id: Contract.ID });
  }

  /** The schema pointer of a declared response, or a failure when the document declares none. */
  private pointer(method: string, template: string, status: number): string {
    const operation = this.document.paths[template]?.[method.toLowerCase()];
    const response = operation?.responses?.[String(status)];
    if (!response?.content?.['application/json']?.schema) throw new Error(`the contract declares no JSON ${status} for ${method} ${template}`);
    const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    return `${Contract.ID}#/paths/${escape(template)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  }

  validator(method: string, template: string, status: number): ValidateFunction {
    const ref = this.pointer(method, template, status);
    const cached = this.cache.get(ref);
    if (cached) return cached;
    const validate = this.ajv.compile({ $ref: ref });
    this.cache.set(ref, validate);
    return validate;
  }

  /** The schema of a declared request body, by its media type. */
  requestValidator(method: string, template: string, mediaType: string): ValidateFunction {
    const operation = this.document.paths[template]?.[method.toLowerCase()];
    if (!operation?.requestBody?.content?.[mediaType]?.schema) throw new Error(`the contract declares no ${mediaType} request body for ${method} ${template}`);
    const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    return this.ajv.compile({ $ref: `${Contract.ID}#/paths/${escape(template)}/${method.toLowerCase()}/requestBody/content/${escape(mediaType)}/schema` });
  }

  /**
   * For responses the document gives only an example of (Bolna's schedule, stop and delete):
   * null when `body` has the example's keys with values of the same JSON types, else what differs.
   */
  checkExample(method: string, template: string, status: number, body: unknown): string | null {
    const example = this.document.paths[template]?.[method.toLowerCase()]?.responses?.[String(status)]?.content?.['application/json']?.example;
    if (example === undefined) throw new Error(`the contract declares no JSON example ${status} for ${method} ${template}`);
    const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
    if (typeOf(body) !== 'object' || typeOf(example) !== 'object') return `expected an object like ${JSON.stringify(example)}`;
    const want = example as Record<string, unknown>;
    const got = body as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(want), ...Object.keys(got)])];
    const wrong = keys.filter((key) => typeOf(want[key]) !== typeOf(got[key]));
    return wrong.length === 0 ? null : `keys ${wrong.join(', ')} differ from the example ${JSON.stringify(example)}`;
  }

  /** A component schema by name, for bodies the document does not tie to a status. */
  component(name: string): ValidateFunction {
    return this.ajv.compile({ $ref: `${Contract.ID}#/components/schemas/${name}` });
  }

  /** Error text of the last validation, or null when it passed. */
  check(validate: ValidateFunction, body: unknown): string | null {
    return validate(body) ? null : this.ajv.errorsText(validate.errors, { separator: '\n' });
  }
}
