import { readFileSync } from "node:fs";
import { parse, type DocumentNode } from "graphql";
import { DateScalar, DecimalScalar } from "./scalars.js";

const COMMON_SDL = readFileSync(new URL("./common.graphql", import.meta.url), "utf8");

/** A subgraph's contract: the shared definitions (common.graphql) followed by its own schema.graphql. */
export function loadSubgraphSchema(url: URL): DocumentNode {
  return parse(`${COMMON_SDL}\n${readFileSync(url, "utf8")}`);
}

/** Resolvers of the shared scalars, added to every subgraph's own. */
export const COMMON_RESOLVERS = { Date: DateScalar, Decimal: DecimalScalar };
