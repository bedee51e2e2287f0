import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { specifiedRules, type ValidationRule } from 'graphql';
import type { RequestLimitsConfig } from '../config';

/** What the limits add to Apollo: validation rules (depth, cost, aliases, directives), plugins (suggestions), parse options (tokens). */
export interface ArmorProtection {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
}

/**
 * The operation limits, from configuration: maximum depth, cost, aliases, tokens and directives, and
 * field suggestions ("Did you mean ...?") masked so a hostile client cannot map a hidden schema.
 * Limits are stated in the error message so an honest client knows what to change.
 *
 *     const armor = createArmor(config.limits);
 *     new ApolloServer({ ..., plugins: [...armor.plugins], validationRules: armor.validationRules, parseOptions: armor.parseOptions });
 */
export function createArmor(limits: RequestLimitsConfig): ArmorProtection {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true, flattenFragments: true, ignoreIntrospection: true },
    costLimit: { maxCost: limits.maxCost, exposeLimits: true, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    // graphql-armor's token plugin throws inside Apollo's parsing hook, which Apollo answers with a 500
    // (even for a plain syntax error); graphql-js's own `maxTokens` parse option gives a 400 parse error.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    blockFieldSuggestion: { enabled: true },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins: plugins as ApolloServerPlugin[], validationRules, parseOptions: { maxTokens: limits.maxTokens } };
}

/** What a document checked outside Apollo (a saved query's) must keep: the same rules and token limit as a request. */
export interface DocumentLimits {
  /** graphql-js's own rules followed by the operation limits. */
  readonly validationRules: readonly ValidationRule[];
  readonly maxTokens: number;
}

const documentLimits = new WeakMap<RequestLimitsConfig, DocumentLimits>();

/**
 * The operation limits of `limits` for documents that do not come through Apollo: saved queries, checked when
 * saved and again when run (the limits may have been lowered since), so a saved query cannot run what the
 * same text sent to /graphql would be refused. Made once per configuration.
 */
export function documentLimitsOf(limits: RequestLimitsConfig): DocumentLimits {
  let found = documentLimits.get(limits);
  if (!found) {
    const armor = createArmor(limits);
    found = { validationRules: [...specifiedRules, ...armor.validationRules], maxTokens: armor.parseOptions.maxTokens };
    documentLimits.set(limits, found);
  }
  return found;
}
