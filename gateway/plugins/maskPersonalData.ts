import {
  getNamedType, isAbstractType, isCompositeType, isObjectType, Kind,
  type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLObjectType, type GraphQLSchema, type SelectionSetNode,
} from "graphql";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { PERSONAL_FIELDS, maskPersonalField } from "../../lib/privacy.js";

type Json = Record<string, unknown>;

/**
 * Masks personal fields (lib/privacy.ts) in the response unless the caller may
 * see personal data. Done here, on the way out, because subgraphs must hand the
 * gateway the raw ID number: it is the federation key other subgraphs join on.
 */
export function maskPersonalDataPlugin<T extends BaseContext>(canSeePersonalData: (ctx: T) => boolean): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, schema, contextValue, operation }) {
          if (response.body.kind !== "single" || !document || !operation || canSeePersonalData(contextValue)) return;
          const data = response.body.singleResult.data;
          if (!data) return;
          const root = schema.getRootType(operation.operation);
          if (!root) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
          walk(schema, fragments, data as Json, operation.selectionSet, root);
        },
      };
    },
  };
}

/** Whether `field` is personal on `type`, or, when the runtime type is unknown, on any type it may be. */
function isPersonal(schema: GraphQLSchema, type: GraphQLCompositeType, concrete: GraphQLObjectType | undefined, field: string): string | undefined {
  const candidates = concrete ? [concrete] : isAbstractType(type) ? schema.getPossibleTypes(type) : [type as GraphQLObjectType];
  return candidates.find((t) => PERSONAL_FIELDS[t.name]?.[field] !== undefined)?.name;
}

function walk(schema: GraphQLSchema, fragments: Map<string, FragmentDefinitionNode>, data: Json, selectionSet: SelectionSetNode, type: GraphQLCompositeType): void {
  const typename = typeof data.__typename === "string" ? schema.getType(data.__typename) : undefined;
  const concrete = isObjectType(type) ? type : isObjectType(typename) ? typename : undefined;
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      const value = data[key];
      if (value === undefined || value === null || sel.name.value === "__typename") continue;
      const personalOn = isPersonal(schema, type, concrete, sel.name.value);
      if (personalOn) {
        data[key] = Array.isArray(value) ? value.map((v) => maskPersonalField(personalOn, sel.name.value, v)) : maskPersonalField(personalOn, sel.name.value, value);
        continue;
      }
      const owner = concrete ?? type;
      const fieldDef = sel.selectionSet && "getFields" in owner ? owner.getFields()[sel.name.value] : undefined;
      const child = fieldDef && getNamedType(fieldDef.type);
      if (child && isCompositeType(child)) forEach(value, (item) => walk(schema, fragments, item, sel.selectionSet!, child));
    } else {
      const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel;
      if (!frag) continue;
      const cond = frag.typeCondition ? schema.getType(frag.typeCondition.name.value) : type;
      if (!cond || !isCompositeType(cond)) continue;
      // An unknown runtime type gets every fragment: masking too much is safe, too little is not.
      if (concrete && cond !== concrete && !(isAbstractType(cond) && schema.isSubType(cond, concrete))) continue;
      walk(schema, fragments, data, frag.selectionSet, concrete && isAbstractType(cond) ? concrete : cond);
    }
  }
}

function forEach(value: unknown, fn: (item: Json) => void): void {
  if (Array.isArray(value)) for (const v of value) forEach(v, fn);
  else if (value && typeof value === "object") fn(value as Json);
}
