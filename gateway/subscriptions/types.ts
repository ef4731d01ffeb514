import type { IncomingMessage } from "node:http";
import type { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema } from "graphql";
import type { Identity } from "../../lib/auth/identity.js";
import type { Membership, MemberWriter } from "./fanout.js";

/** What a subscription's operation runs with: the caller, and how to drop every subscriber sharing it. */
export interface SubscriptionContext {
  identity: Identity;
  /** Resume point from the transport (SSE Last-Event-ID) when the field has no `after`. */
  resumeAfter: string | null;
  drop(reason: string): void;
}

/** A checked subscription request. */
export interface Prepared {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
  query: string;
}

/** Checks a request: a Prepared one, or errors a client can act on. */
export type Prepare = (query: unknown, operationName: string | null | undefined, variables: Record<string, unknown> | undefined) => Prepared | GraphQLError[];

/** Starts one subscriber's subscription: it shares a running operation with equal subscribers when it can. */
export type StartSubscription = (prepared: Prepared, identity: Identity, resumeAfter: string | null, writer: MemberWriter) => Promise<Membership | ExecutionResult>;

/** What every transport needs from the subscription room. */
export interface TransportDeps {
  authenticate(req: IncomingMessage): Promise<Identity>;
  prepare: Prepare;
  start: StartSubscription;
  /** Events a subscriber may have waiting before it is dropped as too slow. */
  maxQueue: number;
}
