import { GraphQLError, type ASTVisitor, type ValidationContext } from "graphql";

/** A `subscription` (or `mutation`) on a schema without that root is the client's error, not a 500 from the planner. */
export function operationTypeExists(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (!context.getSchema().getRootType(node.operation)) {
        const hint = node.operation === "subscription" ? ": subscribe over WebSocket at /graphql or SSE at /graphql/stream" : "";
        context.reportError(new GraphQLError(`this endpoint has no ${node.operation} operations${hint}`, { nodes: [node] }));
      }
    },
  };
}
