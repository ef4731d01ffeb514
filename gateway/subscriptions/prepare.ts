import { GraphQLError, getOperationAST, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { checkComplexity, type ComplexityLimits } from "../complexity/index.js";
import type { Prepare } from "./types.js";

/** Parses and checks subscription documents against the current schema: errors a client can act on, before anything runs. */
export function createPrepare(schema: () => GraphQLSchema | null, limits: ComplexityLimits): Prepare {
  return (query, operationName, variables) => {
    const current = schema();
    if (!current) return [new GraphQLError("this supergraph has no event streams", { extensions: { code: "BAD_REQUEST" } })];
    let document: DocumentNode;
    try {
      document = parse(String(query ?? ""));
    } catch (e) {
      return [new GraphQLError(`syntax error: ${(e as Error).message}`, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
    }
    const errors = validate(current, document);
    if (errors.length) return errors.map((e) => new GraphQLError(e.message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
    if (getOperationAST(document, operationName)?.operation !== "subscription") {
      return [new GraphQLError("only subscriptions here: send queries and mutations to POST /graphql", { extensions: { code: "BAD_REQUEST" } })];
    }
    try {
      checkComplexity({ schema: current, document, operationName, variables }, limits);
    } catch (e) {
      return [e as GraphQLError];
    }
    return { schema: current, document, operationName, variables, query: String(query) };
  };
}
