import { RemoteGraphQLDataSource } from "@apollo/gateway";
import type { Fetcher } from "@apollo/utils.fetcher";
import { IDENTITY_HEADER } from "../lib/auth/internalToken.js";

/**
 * How the gateway talks to a subgraph: Node's built-in fetch (undici), whose
 * global dispatcher keeps connections alive and pools them per origin, plus the
 * caller's identity signed by the gateway.
 */
export function createDataSource(url: string): RemoteGraphQLDataSource<{ internalToken?: string }> {
  return new RemoteGraphQLDataSource<{ internalToken?: string }>({
    url,
    // Node's fetch matches the Fetcher contract at run time; the types differ only in node-fetch's extras.
    fetcher: fetch as unknown as Fetcher,
    willSendRequest({ request, context }) {
      if (context.internalToken) request.http?.headers.set(IDENTITY_HEADER, context.internalToken);
    },
  });
}
