import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { hubError } from "../../lib/errors.js";
import type { Identity } from "../../lib/auth/identity.js";
import { findRole } from "../../lib/auth/roles.js";

/** The `Type.field` coordinates a document selects, fragments included. */
export function selectedFields(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const typeInfo = new TypeInfo(schema);
  const out = new Set<string>();
  visit(document, visitWithTypeInfo(typeInfo, {
    Field() {
      const parent = typeInfo.getParentType();
      const field = typeInfo.getFieldDef();
      if (parent && field) out.add(`${parent.name}.${field.name}`);
    },
  }));
  return out;
}

/**
 * Refuses, before anything runs, an operation that selects a field the caller's role may not
 * see (roles.json: e.g. the 12345 hotline and personal fields). FORBIDDEN names the fields.
 */
export function checkRoleFields(schema: GraphQLSchema, document: DocumentNode, identity: Identity): void {
  const role = identity.role ? findRole(identity.role) : undefined;
  if (!role?.deniedFields.length) return;
  const selected = selectedFields(schema, document);
  const denied = role.deniedFields.filter((f) => selected.has(f));
  if (denied.length === 0) return;
  throw hubError("FORBIDDEN", `the role ${role.name} (${role.id}) may not see ${denied.join(", ")}: ask without them`, { deniedFields: denied, http: { status: 403 } });
}

/** Field rules of the caller's role (F49), on every query and mutation. */
export function roleFieldRulesPlugin<T extends { identity: Identity }>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, contextValue }) {
          checkRoleFields(schema, document, contextValue.identity);
        },
      };
    },
  };
}
