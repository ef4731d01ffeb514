import type { Store } from "../../prisma/store.js";
import type { Logger } from "../logger.js";
import type { Identity } from "../auth/identity.js";
import type { Registrar } from "./registration.js";
import type { Ledger } from "./ledger.js";

/** What every subgraph request carries before the subgraph adds its own pieces (loaders). */
export interface BaseContext {
  store: Store;
  /** The request's query registrations (lib/service/registration.ts). */
  registrar: Registrar;
  /** Verifies the tamper-evident tables' seals (lib/service/ledger.ts); absent when the hub seals nothing. */
  ledger?: Ledger;
  /** The partner the gateway vouches for; null only on `_service` requests. */
  identity: Identity | null;
  logger: Logger;
}
