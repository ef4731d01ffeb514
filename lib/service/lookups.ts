import { defaultFieldResolver, isObjectType, type ConstDirectiveNode, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { subjectKindOf } from "../ids/index.js";
import type { BaseContext } from "./context.js";
import { selectedFields, type LookupResult } from "./registration.js";

/**
 * Registers the look-ups declared in a subgraph's SDL with `@registersLookup(subjects: [...])`
 * (查询登记, F47): after the field resolves, and before its answer leaves, each subject it names
 * is registered with the caller, the fields asked under it and the result. A registration that
 * cannot be written fails the field: no answer without its registration.
 *
 * A subject path is an argument (`uscc`, `filter.subject`) or, with `parent.`, a field of the
 * object the field hangs on (`parent.ref`: the person whose affiliates are asked for).
 */
function declared(directives: readonly ConstDirectiveNode[] | undefined): { paths: string[]; purpose: string | null } | undefined {
  const d = directives?.find((x) => x.name.value === "registersLookup");
  const arg = d?.arguments?.find((a) => a.name.value === "subjects")?.value;
  if (!arg || arg.kind !== "ListValue") return undefined;
  const purpose = d?.arguments?.find((a) => a.name.value === "purpose")?.value;
  return { paths: arg.values.flatMap((v) => (v.kind === "StringValue" ? [v.value] : [])), purpose: purpose?.kind === "StringValue" ? purpose.value : null };
}

function valueAt(path: string, parent: unknown, args: Record<string, unknown>): unknown {
  const [root, ...rest] = path.startsWith("parent.") ? ["parent", ...path.slice(7).split(".")] : ["args", ...path.split(".")];
  let v: unknown = root === "parent" ? parent : args;
  for (const key of rest) v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function resultOf(value: unknown, failed: unknown): LookupResult {
  if (failed) return "REFUSED";
  if (value === null || value === undefined) return "NOT_FOUND";
  if (Array.isArray(value)) return value.length ? "FOUND" : "NOT_FOUND";
  const edges = (value as { edges?: unknown[] }).edges;
  return Array.isArray(edges) && edges.length === 0 ? "NOT_FOUND" : "FOUND";
}

export function registerLookups(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const decl = declared(field.astNode?.directives);
      if (!decl?.paths.length) continue;
      const { paths } = decl;
      const resolve = field.resolve ?? defaultFieldResolver;
      const coordinate = `${type.name}.${field.name}`;
      field.resolve = async (parent, args: Record<string, unknown>, ctx: BaseContext, info: GraphQLResolveInfo) => {
        // Only identifiers: a malformed one is refused at the edge, and no subject was looked up.
        const subjects = [...new Set(paths.map((p) => valueAt(p, parent, args)).filter((v): v is string => typeof v === "string").map((v) => v.trim().toUpperCase()))]
          .filter((v) => subjectKindOf(v) !== null);
        if (subjects.length === 0) return resolve(parent, args, ctx, info);
        let value: unknown;
        let failed: unknown;
        try {
          value = await resolve(parent, args, ctx, info);
        } catch (err) {
          failed = err;
        }
        const fields = selectedFields(info);
        const stated = decl.purpose ? valueAt(decl.purpose, parent, args) : undefined;
        const purpose = typeof stated === "string" && stated.trim() !== "" ? stated.trim() : undefined;
        await Promise.all(subjects.map((subjectId) => ctx.registrar.load({
          subjectKind: subjectKindOf(subjectId) ?? "ENTERPRISE", subjectId, field: coordinate, fields, result: resultOf(value, failed), unmasked: false, purpose,
        })));
        if (failed) throw failed;
        return value;
      };
    }
  }
  return schema;
}
