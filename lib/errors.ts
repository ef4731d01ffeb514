import { GraphQLError } from "graphql";

/** Stable `extensions.code` values partners can branch on. */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "QUERY_TOO_COMPLEX"
  | "RATE_LIMITED"
  | "OPERATION_NOT_TRUSTED"
  | "BAD_REQUEST"
  | "INVALID_TRANSITION"
  | "REPAIR_BARRED"
  | "GRAPH_UNAVAILABLE"
  | "LEDGER_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

export function hubError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** An input that failed a named validation rule; `field` says which argument. */
export function badInput(field: string, rule: string, message: string): GraphQLError {
  return hubError("BAD_USER_INPUT", `${field}: ${message}`, { field, rule });
}

/**
 * Apollo `formatError`: coded errors pass as they are; anything unexpected is
 * logged in full and reaches the client as a plain INTERNAL_SERVER_ERROR, so no
 * SQL, stack trace or personal datum leaks through an error message.
 */
export function formatErrorFor(logger: { error(obj: object, msg: string): void }) {
  return (formatted: import("graphql").GraphQLFormattedError, error: unknown) => {
    const code = formatted.extensions?.code;
    if (code && code !== "INTERNAL_SERVER_ERROR") {
      const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: error, path: formatted.path }, "unexpected error in resolver");
    return { message: "internal error; the hub's operators have the details", path: formatted.path, locations: formatted.locations, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}
