// Opening one subscriber's connection, with the lean client (leanSubscriber.ts) or the
// graphql-ws library, and noting how it ends: a close by the server, an error, or a completion.
import WebSocket from "ws";
import { createClient } from "graphql-ws/client";
import { LeanSubscriber } from "./leanSubscriber.js";
import type { MessageReader } from "./subscriberMessages.js";

/** What a subscriber worker keeps about one connection. */
export interface Connection {
  query: string;
  closed: { code: number; reason: string; atSec: number } | null;
  error: string | null;
  close: (() => Promise<void> | void) | null;
  /** Set when the worker closes the connection itself: a close then is not the server's doing. */
  closing: boolean;
}

export interface ConnectOptions<S extends Connection> {
  url: string;
  client: "lean" | "graphql-ws";
  reader: MessageReader<S>;
  /** Seconds since measurement started, for a close's time. */
  closedAt: () => number;
}

/** Resolves once the connection is acknowledged, or has failed (then `s.closed` or `s.error` says how). */
export function connect<S extends Connection>(s: S, o: ConnectOptions<S>): Promise<void> {
  return o.client === "lean" ? connectLean(s, o) : connectGraphqlWs(s, o);
}

async function connectLean<S extends Connection>(s: S, o: ConnectOptions<S>): Promise<void> {
  const client = new LeanSubscriber(o.url, {
    next: (buf, start, end, receivedAt) => o.reader.fromBytes(s, buf, start, end, receivedAt),
    other: (text) => {
      if (!s.closing) s.error ??= text.slice(0, 300);
    },
    closed: (code, reason) => {
      if (!s.closing && !s.closed) s.closed = { code, reason, atSec: o.closedAt() };
    },
  });
  s.close = () => client.close();
  try {
    await client.start(s.query);
  } catch (err) {
    s.error ??= (err as Error).message;
  }
}

function connectGraphqlWs<S extends Connection>(s: S, o: ConnectOptions<S>): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    const client = createClient({
      url: o.url,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      keepAlive: 0,
      connectionAckWaitTimeout: 30_000,
      on: {
        connected: () => done(),
        closed: (ev) => {
          const c = ev as { code?: number; reason?: string };
          if (!s.closing && !s.closed) s.closed = { code: c.code ?? 0, reason: String(c.reason ?? ""), atSec: o.closedAt() };
          done();
        },
        error: (err) => {
          s.error ??= err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err);
          done();
        },
      },
    });
    s.close = () => client.dispose();
    client.subscribe<Record<string, unknown>>(
      { query: s.query },
      {
        next: (r) => o.reader.fromResult(s, r.data, !!r.errors),
        error: (err) => {
          if (s.closing) return;
          const c = err as { code?: number; reason?: string; message?: string };
          if (typeof c.code === "number") s.closed ??= { code: c.code, reason: String(c.reason ?? ""), atSec: o.closedAt() };
          else s.error ??= Array.isArray(err) ? JSON.stringify(err).slice(0, 300) : String(c.message ?? err).slice(0, 300);
          done();
        },
        complete: () => {
          if (!s.closing) s.error ??= "subscription completed by the server";
          done();
        },
      },
    );
  });
}
