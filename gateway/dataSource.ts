import { RemoteGraphQLDataSource } from "@apollo/gateway";
import type { Fetcher } from "@apollo/utils.fetcher";
import { GATEWAY_TOKEN_HEADER } from "../lib/subgraph.js";

/**
 * How the gateway talks to a subgraph: Node's built-in fetch (undici), whose
 * global dispatcher keeps connections alive and pools them per origin, plus the
 * header that proves the request is the gateway's own.
 */
export function createDataSource(url: string, gatewaySecret: string | undefined): RemoteGraphQLDataSource {
  return new RemoteGraphQLDataSource({
    url,
    // Node's fetch matches the Fetcher contract at run time; the types differ only in node-fetch's extras.
    fetcher: fetch as unknown as Fetcher,
    willSendRequest({ request }) {
      if (gatewaySecret) request.http?.headers.set(GATEWAY_TOKEN_HEADER, gatewaySecret);
    },
  });
}
