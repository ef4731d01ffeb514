import { defaultFieldResolver, isObjectType, type ConstDirectiveNode, type GraphQLSchema } from "graphql";
import { hubError } from "../errors.js";
import type { Identity } from "../auth/identity.js";

/**
 * Enforces our `@requireScopes(scopes: [[...]])` in a subgraph (the JS gateway
 * neither enforces Federation's @requiresScopes nor accepts supergraphs that
 * carry it). Outer list = any of, inner list = all of. On a type it guards every
 * field of that type.
 */
function scopesOf(directives: readonly ConstDirectiveNode[] | undefined): string[][] | undefined {
  const d = directives?.find((x) => x.name.value === "requireScopes");
  const arg = d?.arguments?.find((a) => a.name.value === "scopes")?.value;
  if (!arg || arg.kind !== "ListValue") return undefined;
  return arg.values.map((inner) => (inner.kind === "ListValue" ? inner.values.flatMap((v) => (v.kind === "StringValue" ? [v.value] : [])) : []));
}

function allowed(identity: Identity | null, required: string[][]): boolean {
  return !!identity && required.some((all) => all.every((s) => identity.scopes.has(s as never)));
}

function describe(required: string[][]): string {
  return required.map((all) => all.join(" and ")).join(" or ");
}

export function enforceRequiresScopes(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const typeScopes = scopesOf(type.astNode?.directives);
    for (const field of Object.values(type.getFields())) {
      const fieldScopes = scopesOf(field.astNode?.directives);
      const required = [typeScopes, fieldScopes].filter((x): x is string[][] => !!x);
      if (required.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx: { identity: Identity | null }, info) => {
        for (const r of required) {
          if (!allowed(ctx.identity, r)) {
            throw hubError("FORBIDDEN", `${type.name}.${field.name} requires scope ${describe(r)}`, { requiredScopes: r });
          }
        }
        return resolve(parent, args, ctx, info);
      };
    }
  }
  return schema;
}
