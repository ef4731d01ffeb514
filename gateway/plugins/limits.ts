import { GraphQLError } from "graphql";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { checkComplexity, type ComplexityLimits } from "../complexity/index.js";

/** Refuses operations too deep or too costly before any subgraph is asked (QUERY_TOO_COMPLEX). */
export function complexityLimitPlugin<T extends BaseContext>(limits: ComplexityLimits): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          try {
            checkComplexity({ schema, document, operationName, variables: request.variables }, limits);
          } catch (err) {
            // The client's fault, not ours: 400, so nobody pages operators or retries.
            if (err instanceof GraphQLError) throw new GraphQLError(err.message, { extensions: { ...err.extensions, http: { status: 400 } } });
            throw err;
          }
        },
      };
    },
  };
}
