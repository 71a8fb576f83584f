import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { characterLimitPlugin } from '@escape.tech/graphql-armor-character-limit';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, Kind, type ASTNode, type ExecutionResult, type ValidationContext, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { remadeError, withCode } from './graphql-errors.js';
import type { LimitSettings } from './settings.js';

type RejectHandler = (context: unknown, error: GraphQLError) => void;

/**
 * Armor's errors are plain ("Syntax Error: Query depth limit of 9 exceeded, found 10.") with no
 * code: each is given a stable `extensions.code` and a message without the misleading prefix.
 */
function rejectAs(code: string, setting: string): RejectHandler[] {
  return [
    (_context, error) => {
      const mutable = error as { message: string; extensions: Record<string, unknown> };
      mutable.message = `${error.message.replace(/^Syntax Error: /, '')} (${setting})`;
      mutable.extensions.code = code;
      mutable.extensions.http = { status: 400 };
    },
  ];
}

/** Depth inside `__schema`/`__type`, where Armor's depth limit does not look. */
export function introspectionDepthRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const depthOf = (selectionSet: SelectionSetNode | undefined, seen: Set<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet?.selections ?? []) {
        if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, seen));
        else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        else if (!seen.has(selection.name.value)) {
          const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(selection.name.value);
          deepest = Math.max(deepest, depthOf(fragment?.selectionSet, new Set([...seen, selection.name.value])));
        }
        if (deepest > maxDepth) return deepest;
      }
      return deepest;
    };
    return {
      Field(node: ASTNode & { kind: Kind.FIELD }) {
        if (node.name.value !== '__schema' && node.name.value !== '__type') return;
        const depth = 1 + depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Introspection depth limit of ${maxDepth} exceeded (MAX_INTROSPECTION_DEPTH).`, { nodes: [node], extensions: { code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED' } }),
          );
        }
      },
    };
  };
}

export interface OperationLimitOptions {
  readonly limits: LimitSettings;
  readonly introspection: boolean;
}

/**
 * What a document may be before it is executed: characters, tokens (the parser stops there, so
 * deep nesting cannot overflow its stack), depth, aliases, directives and introspection depth,
 * through GraphQL Armor; introspection off when configured, and field suggestions hidden then (the
 * rest of the suggestions: `withoutSchemaSuggestions`).
 * Parse and validation errors get GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED.
 */
export function operationLimitPlugins({ limits, introspection }: OperationLimitOptions): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, onReject: rejectAs('MAX_DEPTH_EXCEEDED', 'MAX_DEPTH') },
    maxAliases: { n: limits.maxAliases, allowList: ['__typename'], onReject: rejectAs('MAX_ALIASES_EXCEEDED', 'MAX_ALIASES') },
    maxDirectives: { n: limits.maxDirectives, onReject: rejectAs('MAX_DIRECTIVES_EXCEEDED', 'MAX_DIRECTIVES') },
    maxTokens: { n: limits.maxTokens, onReject: rejectAs('MAX_TOKENS_EXCEEDED', 'MAX_TOKENS') },
    // Our own cost (operation-plan.ts) multiplies page sizes, which Armor's does not.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !introspection },
  });
  const plugins: Plugin[] = [
    ...(armor.protect().plugins as Plugin[]),
    // After Armor: its token limit replaces the parse function, this one wraps whatever is there.
    characterLimitPlugin({ maxLength: limits.maxCharacters, onReject: rejectAs('MAX_CHARACTERS_EXCEEDED', 'MAX_CHARACTERS') }),
    {
      onValidate({ addValidationRule }) {
        addValidationRule(introspectionDepthRule(limits.maxIntrospectionDepth));
      },
    },
    codedParseAndValidationErrors,
  ];
  if (!introspection) plugins.push(useDisableIntrospection());
  return plugins;
}

const SUGGESTION = / ?Did you mean [^?]*\?/;
const SUGGESTIONS = / ?Did you mean [^?]*\?/g;

/**
 * With introspection off, no error may list the schema's names: Armor hides field suggestions in
 * validation, and this removes the rest from an answer ("Did you mean the enum value …?" from
 * variable coercion).
 */
export function withoutSchemaSuggestions(result: ExecutionResult): ExecutionResult {
  const errors = result.errors;
  if (!errors?.some((error) => SUGGESTION.test(error.message))) return result;
  return {
    ...result,
    errors: errors.map((error) => {
      if (!SUGGESTION.test(error.message)) return error;
      return remadeError(error, { message: error.message.replace(SUGGESTIONS, '').trim() });
    }),
  };
}

/** Every parse or validation error carries a code a client can branch on. */
const codedParseAndValidationErrors: Plugin = {
  onParse() {
    return ({ result, replaceParseResult }) => {
      if (result instanceof GraphQLError && result.extensions.code === undefined) {
        replaceParseResult(withCode(result, 'GRAPHQL_PARSE_FAILED'));
      }
    };
  },
  onValidate() {
    return ({ result, setResult }) => {
      const errors = result as readonly GraphQLError[];
      if (errors.length > 0 && errors.some((error) => error.extensions.code === undefined)) {
        setResult(errors.map((error) => (error.extensions.code === undefined ? withCode(error, 'GRAPHQL_VALIDATION_FAILED') : error)));
      }
    };
  },
};
