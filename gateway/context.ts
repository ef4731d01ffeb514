import type { Identity } from "../lib/auth/identity.js";

/** What every gateway request carries: the verified caller, and its identity signed for our subgraphs. */
export interface GatewayContext {
  identity: Identity;
  /** The identity signed for our subgraphs (absent over a foreign supergraph). */
  internalToken?: string;
}
