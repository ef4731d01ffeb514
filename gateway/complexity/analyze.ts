/** The walk that measures an operation's depth and cost (the rules: index.ts). */
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
import type { ComplexityLimits, ComplexityReport, OperationInput } from "./types.js";

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

export function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode {
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

/** Depth and cost of an operation (see index.ts for the rules). Throws on fragment cycles. */
export function analyzeOperation({ schema, document, operationName, variables }: OperationInput, limits: ComplexityLimits): ComplexityReport {
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

  const walk: Walk = { vars, defaultListSize, fragments, typeOf, active, activeSet, descend };
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
    if (!isSkipped(sel, vars)) visitSelection(top, sel, walk);
  }

  return { depth: result.depth, cost: result.cost };
}

/** What one walk shares while it visits selections. */
interface Walk {
  vars: Record<string, unknown>;
  defaultListSize: number;
  fragments: Map<string, FragmentDefinitionNode>;
  typeOf(name: string): GraphQLCompositeType | undefined;
  active: string[];
  activeSet: Set<string>;
  descend(top: Frame, set: SelectionSetNode, type: GraphQLCompositeType | undefined, pending: Pending, fragment?: string): void;
}

/** One selection of the top frame: a field (cost 1, or a child frame to walk), an inline fragment, or a spread. */
function visitSelection(top: Frame, sel: SelectionNode, w: Walk): void {
  if (sel.kind === Kind.FIELD) {
    const name = sel.name.value;
    const fieldDef = top.type && !name.startsWith("__") && "getFields" in top.type ? top.type.getFields()[name] : undefined;
    const childType = fieldDef ? getNamedType(fieldDef.type) : undefined;
    // Meta-fields, unknown fields and leaves: cost 1 at this level.
    if (!fieldDef || !sel.selectionSet || !childType || !isCompositeType(childType)) return fold(top, { kind: "field", multiplier: 0 }, { cost: 0, depth: 0 });
    const isList = isListType(getNullableType(fieldDef.type));
    const underConnection = top.type !== undefined && isConnectionType(top.type) && (name === "edges" || name === "nodes");
    const multiplies = (isList && !underConnection) || (!isList && isConnectionType(childType));
    const multiplier = multiplies ? listSize(fieldDef, sel, w.vars, w.defaultListSize) : 1;
    return w.descend(top, sel.selectionSet, childType, { kind: "field", multiplier });
  }
  if (sel.kind === Kind.INLINE_FRAGMENT) {
    const type = sel.typeCondition ? w.typeOf(sel.typeCondition.name.value) : top.type;
    return w.descend(top, sel.selectionSet, type, { kind: "fragment" });
  }
  const name = sel.name.value;
  if (w.activeSet.has(name)) {
    const cycle = [...w.active.slice(w.active.indexOf(name)), name].join(" -> ");
    throw validationError(`Cannot spread fragment "${name}" within itself (${cycle}).`);
  }
  const fragment = w.fragments.get(name);
  if (!fragment) return; // unknown fragment: nothing to count
  w.descend(top, fragment.selectionSet, w.typeOf(fragment.typeCondition.name.value), { kind: "fragment" }, name);
}

