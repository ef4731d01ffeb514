/** Small pieces every page uses: a query hook, sections, errors, badges and tables. */
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { describeError, graphql, RequestRefused, type GraphQLErrorBody } from "./api/http.js";
import { useSession } from "./state.js";

export interface QueryState<T> {
  data: T | null;
  errors: GraphQLErrorBody[];
  failure: string | null;
  loading: boolean;
  reload(): void;
}

/** Runs a query when its variables change; an expired token signs the user out. */
export function useQuery<T>(query: string | null, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): QueryState<T> {
  const { session, signOut } = useSession();
  const [state, setState] = useState<Omit<QueryState<T>, "reload">>({ data: null, errors: [], failure: null, loading: query !== null });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify([query, variables, headers, tick]);
  useEffect(() => {
    if (query === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    graphql<T>(session.token, query, variables, headers).then(
      (r) => live && setState({ data: r.data, errors: r.errors, failure: null, loading: false }),
      (err: unknown) => {
        if (!live) return;
        if (err instanceof RequestRefused && err.code === "UNAUTHENTICATED") signOut(err.message);
        setState({ data: null, errors: [], failure: err instanceof Error ? err.message : String(err), loading: false });
      },
    );
    return () => { live = false; };
  }, [key]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Section(props: { title: string; id?: string; extra?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card" data-section={props.id}>
      <header class="card-head"><h2>{props.title}</h2>{props.extra}</header>
      {props.children}
    </section>
  );
}

export function Failure(props: { text: string | null }) {
  return props.text ? <p class="failure" role="alert">{props.text}</p> : null;
}

/** Field errors of one part of a page (e.g. the graph when the token lacks graph:read). */
export function FieldErrors(props: { errors: GraphQLErrorBody[] }) {
  if (props.errors.length === 0) return null;
  const unique = [...new Set(props.errors.map(describeError))];
  return <ul class="failure">{unique.map((t) => <li key={t}>{t}</li>)}</ul>;
}

export function Loading(props: { when: boolean }) {
  return props.when ? <p class="muted">加载中…</p> : null;
}

export function Badge(props: { tone?: "red" | "amber" | "green" | "blue" | "grey"; children: ComponentChildren; title?: string }) {
  return <span class={`badge ${props.tone ?? "grey"}`} title={props.title}>{props.children}</span>;
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="muted">{props.children}</p>;
}

/** A plain table: one header row, rows of cells. */
export function Table(props: { head: string[]; rows: ComponentChildren[][]; testId?: string }) {
  return (
    <table data-testid={props.testId}>
      <thead><tr>{props.head.map((h) => <th key={h}>{h}</th>)}</tr></thead>
      <tbody>{props.rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
    </table>
  );
}
