/**
 * Subscriptions over graphql-ws on the gateway's /graphql WebSocket, with the user's token
 * in connectionParams. graphql-ws would retry with the first variables; the feed retries
 * itself instead, subscribing again with `after` = the last sequence it saw, and drops any
 * event id it has already shown (ResumePoint).
 */
import { createClient, type Client } from "graphql-ws/client";
import { ResumePoint, type StreamEvent } from "./resume.js";

/** Close codes after which trying again cannot help: the token is refused or the request is wrong. */
const FATAL = new Set([4400, 4401, 4403, 4406, 4409, 4429, 4500]);

export type FeedStatus =
  | { state: "connecting" }
  | { state: "live"; resumedFrom: string | null; reconnects: number }
  | { state: "retrying"; inSeconds: number; reconnects: number }
  | { state: "stopped"; reason: string };

/** A graphql-ws client and whether its socket is open and acknowledged now (a subscription sent then is live at once). */
export interface LiveConnection {
  client: Client;
  open: boolean;
}

export function liveConnection(token: string): LiveConnection {
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  const client = createClient({ url, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
  const conn: LiveConnection = { client, open: false };
  client.on("connected", () => { conn.open = true; });
  client.on("closed", () => { conn.open = false; });
  return conn;
}

function closeReason(err: unknown): { code?: number; text: string } {
  if (Array.isArray(err)) return { text: err.map((e: { message?: string }) => e.message ?? String(e)).join("；") };
  const c = err as { code?: number; reason?: string; message?: string };
  return { code: c?.code, text: c?.reason || c?.message || "连接中断" };
}

export interface FeedOptions<E extends StreamEvent> {
  connection: LiveConnection;
  query: string;
  /** The subscription field, e.g. listEntryChanged. */
  field: string;
  variables?: Record<string, unknown>;
  onEvent(e: E): void;
  /** An event already shown arrived again and was dropped; `dropped` counts them. */
  onDuplicate?(dropped: number): void;
  onStatus(s: FeedStatus, point: ResumePoint): void;
}

/** Starts a resumable feed; the returned function stops it. */
export function startFeed<E extends StreamEvent>(opts: FeedOptions<E>): () => void {
  const point = new ResumePoint();
  let stopped = false;
  let reconnects = 0;
  let dispose: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  let sentAfter: string | null = null;
  /** Whether this feed's subscription waits for the socket (it is sent once the server acknowledges). */
  let waiting = true;
  const live = () => opts.onStatus({ state: "live", resumedFrom: sentAfter, reconnects }, point);
  const subscribe = () => {
    sentAfter = point.after;
    waiting = !opts.connection.open;
    if (waiting) opts.onStatus({ state: "connecting" }, point);
    else live();
    dispose = opts.connection.client.subscribe<Record<string, E>>({ query: opts.query, variables: point.variables(opts.variables ?? {}) }, {
      next: (r) => {
        const e = r.data?.[opts.field];
        if (r.errors?.length && !e) opts.onStatus({ state: "stopped", reason: r.errors.map((x) => x.message).join("；") }, point);
        if (e && point.accept(e)) opts.onEvent(e);
        else if (e) opts.onDuplicate?.(point.dropped);
      },
      error: (err) => {
        if (stopped) return;
        const { code, text } = closeReason(err);
        if (code === undefined || FATAL.has(code)) {
          opts.onStatus({ state: "stopped", reason: code === 4401 ? "令牌已过期，请重新登录" : text }, point);
          return;
        }
        reconnects++;
        const inSeconds = Math.min(15, 2 ** Math.min(reconnects - 1, 4));
        opts.onStatus({ state: "retrying", inSeconds, reconnects }, point);
        timer = setTimeout(subscribe, inSeconds * 1000);
      },
      complete: () => undefined,
    });
  };
  // The socket opens lazily with the first subscription: a waiting feed is live once the server acknowledges it.
  const off = opts.connection.client.on("connected", () => {
    if (stopped || !waiting) return;
    waiting = false;
    live();
  });
  subscribe();
  return () => {
    stopped = true;
    clearTimeout(timer);
    off();
    dispose?.();
  };
}
