import { defaultFieldResolver, isObjectType, type GraphQLFieldConfig, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphContext } from '../context';
import { ForbiddenError } from '../errors';
import { hasRole, isRole, type Role } from './viewer';

const DIRECTIVE = 'auth';

/**
 * The weakest role that may read `typeName.fieldName`: the field's `@auth`, else its type's `@auth`,
 * else `investigator` for fields of the Mutation and Subscription roots (writes are never open by
 * accident) and `public` for everything else.
 *
 *     requiredRole(schema, 'Query', 'auditLog') // 'admin'
 */
export function requiredRole(schema: GraphQLSchema, typeName: string, fieldName: string): Role {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`requiredRole: ${typeName} is not an object type`);
  const field = type.getFields()[fieldName];
  if (!field) throw new Error(`requiredRole: ${typeName}.${fieldName} does not exist`);
  const declared = directiveRole(schema, field) ?? directiveRole(schema, type);
  if (declared) return declared;
  return isWriteRoot(schema, type) ? 'investigator' : 'public';
}

/**
 * The whole policy: every field of every object type (introspection types aside) with the role it needs.
 * The README's table and the tests read it from here.
 */
export function authPolicy(schema: GraphQLSchema): Map<string, Role> {
  const policy = new Map<string, Role>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const fieldName of Object.keys(type.getFields())) policy.set(`${type.name}.${fieldName}`, requiredRole(schema, type.name, fieldName));
  }
  return policy;
}

/**
 * Returns `schema` with the `@auth` policy enforced on every field: a field that needs more than
 * `public` checks the viewer's role before its resolver runs and answers FORBIDDEN otherwise.
 * Fields open to everyone keep their resolver untouched, so the check costs nothing there.
 *
 *     const schema = applyAuthPolicy(makeExecutableSchema({ typeDefs, resolvers }));
 */
export function applyAuthPolicy(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      if (typeName.startsWith('__')) return fieldConfig;
      const role = requiredRole(schema, typeName, fieldName);
      if (role === 'public') return fieldConfig;
      return guardField(fieldConfig, `${typeName}.${fieldName}`, role);
    },
  });
}

/** Wraps resolve (and subscribe) with the role check. */
function guardField(
  fieldConfig: GraphQLFieldConfig<unknown, GraphContext>,
  coordinate: string,
  role: Role,
): GraphQLFieldConfig<unknown, GraphContext> {
  const check = (context: GraphContext): void => {
    if (!hasRole(context.viewer, role)) throw new ForbiddenError(`${coordinate} needs the ${role} role or a stronger one.`);
  };
  const resolve = fieldConfig.resolve ?? defaultFieldResolver;
  const subscribe = fieldConfig.subscribe;
  return {
    ...fieldConfig,
    resolve: (source, args, context, info) => {
      check(context);
      return resolve(source, args, context, info);
    },
    ...(subscribe
      ? {
          subscribe: (source, args, context, info) => {
            check(context);
            return subscribe(source, args, context, info);
          },
        }
      : {}),
  };
}

/** The role named by an `@auth(requires:)` on `node`, lower-cased to a {@link Role}. */
function directiveRole(schema: GraphQLSchema, node: Parameters<typeof getDirective>[1]): Role | undefined {
  const requires = getDirective(schema, node, DIRECTIVE)?.[0]?.requires as string | undefined;
  if (requires === undefined) return undefined;
  const role = requires.toLowerCase();
  if (!isRole(role)) throw new Error(`@auth(requires: ${requires}) names no role`);
  return role;
}

function isWriteRoot(schema: GraphQLSchema, type: GraphQLObjectType): boolean {
  return type === schema.getMutationType() || type === schema.getSubscriptionType();
}
