import type { Store } from "../../prisma/store.js";
import type { Logger } from "../logger.js";
import type { Identity } from "../auth/identity.js";
import type { Registrar } from "./registration.js";

/** What every subgraph request carries before the subgraph adds its own pieces (loaders). */
export interface BaseContext {
  store: Store;
  /** The request's query registrations (lib/service/registration.ts). */
  registrar: Registrar;
  /** The partner the gateway vouches for; null only on `_service` requests. */
  identity: Identity | null;
  logger: Logger;
}
