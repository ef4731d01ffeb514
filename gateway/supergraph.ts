import { readFileSync } from "node:fs";
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import type { Logger } from "../lib/logger.js";
import { createDataSource } from "./dataSource.js";
import type { SupergraphSource } from "./config.js";

/** The Apollo gateway (query planner and executor) over the supergraph from its source. */
export function buildGateway(source: SupergraphSource, logger: Logger): ApolloGateway {
  const buildService = ({ url }: { url?: string }) => createDataSource(url ?? "");
  const common = { buildService, logger };
  switch (source.kind) {
    case "sdl":
      return new ApolloGateway({ ...common, supergraphSdl: source.supergraphSdl });
    case "file":
      return new ApolloGateway({ ...common, supergraphSdl: readFileSync(source.path, "utf8") });
    case "subgraphs":
      return new ApolloGateway({ ...common, supergraphSdl: new IntrospectAndCompose({ subgraphs: source.subgraphs }) });
  }
}
