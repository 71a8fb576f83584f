import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** A small seeded PRNG (mulberry32): the same seed gives the same document. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzInputs {
  /** Ids worth trying: real demo ids, malformed ones, path tricks. */
  readonly ids: readonly string[];
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const WEIRD_STRINGS = ['', ' ', '..', '.', '%', '%3A', ':', 'null', '\u0000', 'é', '😀', 'a'.repeat(300), '{"a":1}', '<script>', "' OR 1=1", '\\'];

function literal(type: GraphQLInputType, random: () => number, inputs: FuzzInputs, depth: number): string {
  if (isNonNullType(type)) return literal(type.ofType, random, inputs, depth);
  if (random() < 0.05) return 'null';
  if (isListType(type)) {
    const n = Math.floor(random() * 4);
    return `[${Array.from({ length: n }, () => literal(type.ofType, random, inputs, depth + 1)).join(', ')}]`;
  }
  if (isEnumType(type)) return random() < 0.9 ? pick(random, type.getValues()).name : 'NOT_A_VALUE';
  if (isInputObjectType(type)) {
    if (depth > 2) return '{}';
    return `{ ${Object.values(type.getFields())
      .filter(() => random() < 0.7)
      .map((f) => `${f.name}: ${literal(f.type, random, inputs, depth + 1)}`)
      .join(', ')} }`;
  }
  switch (type.name) {
    case 'Int':
      return String(pick(random, [0, 1, 2, 5, 25, 100, 101, 499, 500, 501, -1, 2147483647]));
    case 'Float':
      return String(random() * 100);
    case 'Boolean':
      return random() < 0.5 ? 'true' : 'false';
    case 'ID':
      return JSON.stringify(random() < 0.8 ? pick(random, inputs.ids) : pick(random, WEIRD_STRINGS));
    case 'DateTime':
      return JSON.stringify(pick(random, ['2099-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'yesterday', '2026-13-45T99:00:00Z', new Date(Date.now() + 86_400_000).toISOString()]));
    default:
      return JSON.stringify(pick(random, [...WEIRD_STRINGS, ...inputs.ids]));
  }
}

function selection(schema: GraphQLSchema, type: GraphQLNamedType, random: () => number, inputs: FuzzInputs, depth: number): string {
  if (isScalarType(type) || isEnumType(type)) return '';
  const concrete = isUnionType(type) ? type.getTypes() : isInterfaceType(type) ? schema.getPossibleTypes(type) : [type];
  const parts: string[] = ['__typename'];
  for (const object of concrete) {
    if (!isObjectType(object)) continue;
    const fields = Object.values(object.getFields()) as Array<GraphQLField<unknown, unknown>>;
    const chosen = fields.filter(() => random() < (depth > 3 ? 0.15 : 0.3)).slice(0, 5);
    const inner = chosen.map((field) => fieldText(schema, field, random, inputs, depth)).join(' ');
    if (inner) parts.push(concrete.length > 1 || type !== object ? `... on ${object.name} { ${inner} }` : inner);
  }
  return `{ ${parts.join(' ')} }`;
}

function fieldText(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, random: () => number, inputs: FuzzInputs, depth: number): string {
  const args = field.args.filter((arg) => isNonNullType(arg.type) || random() < 0.4).map((arg) => `${arg.name}: ${literal(arg.type, random, inputs, 0)}`);
  const alias = random() < 0.15 ? `x${Math.floor(random() * 100)}: ` : '';
  const named = getNamedType(field.type);
  const sub = depth < 7 ? selection(schema, named, random, inputs, depth + 1) : '';
  if (!isScalarType(named) && !isEnumType(named) && !sub) return `${alias}__typename`;
  return `${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''} ${sub}`;
}

/** A schema-valid-looking operation (a query, sometimes a mutation), from `seed`. */
export function generatedDocument(schema: GraphQLSchema, seed: number, inputs: FuzzInputs): string {
  const random = prng(seed);
  const mutation = random() < 0.15 && schema.getMutationType();
  const root = mutation ? schema.getMutationType()! : schema.getQueryType()!;
  const fields = Object.values(root.getFields()).filter((f) => f.name !== '_service' || random() < 0.1) as Array<GraphQLField<unknown, unknown>>;
  const chosen = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, fields));
  return `${mutation ? 'mutation' : 'query'} Fuzz${seed % 1000} { ${chosen.map((f) => fieldText(schema, f, random, inputs, 1)).join(' ')} }`;
}

const NOISE = ['{', '}', '(', ')', '[', ']', ':', '$', '@', '!', '"', '...', '#', '\n', '\u0000', 'é', 'query', 'fragment', ' on ', '__schema', '\\u', '1e999'];

/** `document` with `edits` random insertions, deletions and duplications. */
export function mutatedDocument(document: string, seed: number, edits: number): string {
  const random = prng(seed);
  let text = document;
  for (let i = 0; i < edits; i += 1) {
    const at = Math.floor(random() * (text.length + 1));
    const kind = random();
    if (kind < 0.4) text = text.slice(0, at) + pick(random, NOISE) + text.slice(at);
    else if (kind < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 5));
    else text = text.slice(0, at) + text.slice(at, at + 20) + text.slice(at);
  }
  return text;
}
