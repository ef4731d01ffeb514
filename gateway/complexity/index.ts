import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * Operation depth and cost, computed from the document before anything runs.
 *
 * Depth
 *   The nesting of field selections: a root field is at depth 1, a field inside
 *   it at 2, and so on; the operation's depth is its deepest field. Fragment
 *   spreads and inline fragments add no level of their own. Meta-fields
 *   (`__typename`, `__schema`, `__type`) count at their own level only: their
 *   sub-selections are not walked (introspection answers are bounded by the
 *   schema, not by data, and are switched off by `HUB_INTROSPECTION`).
 *
 * Cost
 *   Every field costs 1. A field that returns a list multiplies the cost of its
 *   sub-selection by its size: the largest of its `first` / `last` / `limit`
 *   arguments (literal or from variables), else that argument's schema
 *   default, else `defaultListSize`. A Relay connection field (returns a
 *   `...Connection` object type with `edges` or `nodes`) multiplies the same
 *   way at the connection field, and the connection's own `edges` / `nodes`
 *   lists are then not multiplied again. Every selected field counts, aliased
 *   or repeated (an alias bomb of N fields costs at least N); `@skip` /
 *   `@include` are honoured. Arithmetic saturates at Number.MAX_SAFE_INTEGER.
 *
 * Defensive rules (the document is normally validated already)
 *   An unknown field costs 1 and is not walked; an unknown fragment or type
 *   condition contributes its fields at 1 each; a fragment cycle throws a
 *   GRAPHQL_VALIDATION_FAILED error. The walk uses an explicit stack (no
 *   recursion, so no stack overflow however deep the expansion) and memoizes
 *   each selection set per parent type, so fragments spread many times
 *   (an exponential "fragment bomb") cost linear work to analyse.
 */

export interface ComplexityLimits {
  maxDepth: number;
  maxCost: number;
  /** Assumed size of a list field without a `first`/`last`/`limit` argument, e.g. 10. */
  defaultListSize: number;
}

export interface ComplexityReport {
  depth: number;
  cost: number;
}

const MAX = Number.MAX_SAFE_INTEGER;
const SIZE_ARGUMENTS = ["first", "last", "limit"] as const;

/** a + b, capped at MAX. */
export function saturatingAdd(a: number, b: number): number {
  const sum = a + b;
  return sum >= MAX ? MAX : sum;
}

/** a × b for non-negative integers, capped at MAX (exact below the cap). */
export function saturatingMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return a > MAX / b ? MAX : Math.min(a * b, MAX);
}

function validationError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
}

function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) {
    const named = operations.find((op) => op.name?.value === operationName);
    if (!named) throw new GraphQLError(`Unknown operation named "${operationName}".`, { extensions: { code: "OPERATION_RESOLUTION_FAILURE" } });
    return named;
  }
  if (operations.length === 1) return operations[0];
  throw new GraphQLError(
    operations.length === 0 ? "The document has no operation." : "Must provide operation name if query contains multiple operations.",
    { extensions: { code: "OPERATION_RESOLUTION_FAILURE" } },
  );
}

/** Coerced variable values (with the operation's defaults); the raw input when it does not coerce. */
function coerceVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): Record<string, unknown> {
  const inputs = variables ?? {};
  try {
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 1 });
    if (result.coerced) return result.coerced;
  } catch {
    // fall through: execution will reject these variables; size lists from the raw input meanwhile
  }
  const raw: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(inputs)) raw[k] = v;
  return raw;
}

/** A non-negative integer list size, or undefined when `value` is not one. */
function asSize(value: unknown): number | undefined {
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) return undefined;
  return value >= MAX ? MAX : Math.floor(value);
}

/** The size a list/connection field is assumed to return. */
function listSize(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>, defaultListSize: number): number {
  let size: number | undefined;
  for (const name of SIZE_ARGUMENTS) {
    const def = field.args.find((a) => a.name === name);
    if (!def) continue;
    const argNode = node.arguments?.find((a) => a.name.value === name);
    let value: number | undefined;
    if (argNode) {
      try {
        value = asSize(valueFromAST(argNode.value, def.type, variables));
      } catch {
        value = undefined;
      }
    }
    value ??= asSize(def.defaultValue);
    if (value !== undefined) size = size === undefined ? value : Math.max(size, value);
  }
  return size ?? defaultListSize;
}

function isConnectionType(type: GraphQLCompositeType): boolean {
  if (!type.name.endsWith("Connection") || !(isObjectType(type) || isInterfaceType(type))) return false;
  const fields = type.getFields();
  return "edges" in fields || "nodes" in fields;
}

/** Whether `@skip` / `@include` leave this selection out (an uncoercible condition keeps it, to be safe). */
function isSkipped(node: SelectionNode, variables: Record<string, unknown>): boolean {
  if (!node.directives?.length) return false;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return true;
    if (getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false) return true;
  } catch {
    return false;
  }
  return false;
}

interface Summary {
  /** Cost of the selection set's fields, sub-selections included. */
  cost: number;
  /** Levels of fields below the parent: 0 for an empty set, 1 for leaves only. */
  depth: number;
}

/** How a finished child frame folds into its parent. */
type Pending = { kind: "field"; multiplier: number } | { kind: "fragment" };

interface Frame {
  selectionSet: SelectionSetNode;
  type: GraphQLCompositeType | undefined;
  index: number;
  cost: number;
  depth: number;
  /** Set while a child frame is being evaluated. */
  pending?: Pending;
  /** The named fragment this frame expands, released from `active` when done. */
  fragment?: string;
}

function fold(frame: Frame, pending: Pending, child: Summary): void {
  if (pending.kind === "field") {
    frame.cost = saturatingAdd(frame.cost, saturatingAdd(1, saturatingMul(pending.multiplier, child.cost)));
    frame.depth = Math.max(frame.depth, 1 + child.depth);
  } else {
    frame.cost = saturatingAdd(frame.cost, child.cost);
    frame.depth = Math.max(frame.depth, child.depth);
  }
}

/** Depth and cost of an operation (see the module comment for the rules). Throws on fragment cycles. */
export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  limits: ComplexityLimits,
): ComplexityReport {
  const operation = selectOperation(document, operationName);
  const vars = coerceVariables(schema, operation, variables);
  const defaultListSize = asSize(limits.defaultListSize) ?? 0;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const typeOf = (name: string): GraphQLCompositeType | undefined => {
    const t = schema.getType(name);
    return t && isCompositeType(t) ? t : undefined;
  };

  // Finished summaries, per selection set and parent type ("" for unknown).
  const memo = new Map<SelectionSetNode, Map<string, Summary>>();
  const memoGet = (set: SelectionSetNode, type: GraphQLCompositeType | undefined) => memo.get(set)?.get(type?.name ?? "");
  const memoSet = (set: SelectionSetNode, type: GraphQLCompositeType | undefined, s: Summary) => {
    let byType = memo.get(set);
    if (!byType) memo.set(set, (byType = new Map()));
    byType.set(type?.name ?? "", s);
  };
  // Fragments being expanded on the current path, in order (to detect and name cycles).
  const active: string[] = [];
  const activeSet = new Set<string>();

  const root = schema.getRootType(operation.operation) ?? undefined;
  const stack: Frame[] = [{ selectionSet: operation.selectionSet, type: root, index: 0, cost: 0, depth: 0 }];
  let result: Summary = { cost: 0, depth: 0 };

  /** Evaluate `set` under `type` for the top frame: fold at once if known, else push a child frame. */
  const descend = (top: Frame, set: SelectionSetNode, type: GraphQLCompositeType | undefined, pending: Pending, fragment?: string) => {
    const known = memoGet(set, type);
    if (known) return fold(top, pending, known);
    top.pending = pending;
    if (fragment !== undefined) {
      active.push(fragment);
      activeSet.add(fragment);
    }
    stack.push({ selectionSet: set, type, index: 0, cost: 0, depth: 0, fragment });
  };

  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.index >= top.selectionSet.selections.length) {
      stack.pop();
      const summary: Summary = { cost: top.cost, depth: top.depth };
      memoSet(top.selectionSet, top.type, summary);
      if (top.fragment !== undefined) {
        active.pop();
        activeSet.delete(top.fragment);
      }
      const parent = stack[stack.length - 1];
      if (!parent) {
        result = summary;
        break;
      }
      fold(parent, parent.pending!, summary);
      parent.pending = undefined;
      continue;
    }

    const sel = top.selectionSet.selections[top.index++];
    if (isSkipped(sel, vars)) continue;

    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      const fieldDef = top.type && !name.startsWith("__") && "getFields" in top.type ? top.type.getFields()[name] : undefined;
      const childType = fieldDef ? getNamedType(fieldDef.type) : undefined;
      // Meta-fields, unknown fields and leaves: cost 1 at this level.
      if (!fieldDef || !sel.selectionSet || !childType || !isCompositeType(childType)) {
        fold(top, { kind: "field", multiplier: 0 }, { cost: 0, depth: 0 });
        continue;
      }
      const isList = isListType(getNullableType(fieldDef.type));
      const underConnection = top.type !== undefined && isConnectionType(top.type) && (name === "edges" || name === "nodes");
      const multiplies = (isList && !underConnection) || (!isList && isConnectionType(childType));
      const multiplier = multiplies ? listSize(fieldDef, sel, vars, defaultListSize) : 1;
      descend(top, sel.selectionSet, childType, { kind: "field", multiplier });
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const type = sel.typeCondition ? typeOf(sel.typeCondition.name.value) : top.type;
      descend(top, sel.selectionSet, type, { kind: "fragment" });
    } else {
      const name = sel.name.value;
      if (activeSet.has(name)) {
        const cycle = [...active.slice(active.indexOf(name)), name].join(" -> ");
        throw validationError(`Cannot spread fragment "${name}" within itself (${cycle}).`);
      }
      const fragment = fragments.get(name);
      if (!fragment) continue; // unknown fragment: nothing to count
      descend(top, fragment.selectionSet, typeOf(fragment.typeCondition.name.value), { kind: "fragment" }, name);
    }
  }

  return { depth: result.depth, cost: result.cost };
}

/**
 * analyzeOperation, then a QUERY_TOO_COMPLEX GraphQLError (extensions: code,
 * depth, cost, maxDepth, maxCost) when the depth or the cost is over its limit.
 */
export function checkComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  limits: ComplexityLimits,
): ComplexityReport {
  const report = analyzeOperation(schema, document, operationName, variables, limits);
  const kind = selectOperation(document, operationName).operation;
  const problems: string[] = [];
  if (report.depth > limits.maxDepth) {
    problems.push(`${kind} depth ${report.depth} exceeds the limit ${limits.maxDepth}: nest fewer selections inside each other`);
  }
  if (report.cost > limits.maxCost) {
    problems.push(`${kind} cost ${report.cost} exceeds the limit ${limits.maxCost}: ask for fewer items (first) or fewer nested lists`);
  }
  if (problems.length > 0) {
    throw new GraphQLError(problems.join("; "), {
      extensions: { code: "QUERY_TOO_COMPLEX", depth: report.depth, cost: report.cost, maxDepth: limits.maxDepth, maxCost: limits.maxCost },
    });
  }
  return report;
}
