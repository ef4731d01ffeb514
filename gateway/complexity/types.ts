import type { DocumentNode, GraphQLSchema } from "graphql";

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

/** The operation to measure: the schema it runs on, its document, which operation, and its variables. */
export interface OperationInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
}
