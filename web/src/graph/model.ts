/**
 * The affiliate graph as the page draws it, built from what the API returns: affiliates
 * (each with its shortest path from the enterprise asked about), ultimate controllers with
 * their ownership paths, and the paths behind relatedPartyRisk. Nodes are keyed by what the
 * caller may see: USCC, public body code, or the ID number as returned (masked without
 * personal:read). A person the records do not hold has no key of its own: it is keyed by
 * the path that reaches it, so two paths through the same person meet there.
 */
import { flag, relation, percent } from "../labels.js";

export interface SubjectRef { __typename: string; uscc?: string; code?: string; idNumber?: string; name?: string }
export interface Step { type: string; share: number | null; from: SubjectRef | null; to: SubjectRef | null }
export interface Affiliate { kind: string; distance: number; riskFlags: string[]; id: SubjectRef | null; subject: SubjectRef | null; path: Step[] }
export interface Controller { kind: string; effectiveShare: number; controls: boolean; id: SubjectRef | null; subject: SubjectRef | null; paths: Array<{ steps: Step[] }> }
export interface Contribution { kind: string; flags: string[]; distance: number; contribution: number; id: SubjectRef | null; path: Step[] }

export interface GNode {
  id: string;
  kind: "enterprise" | "person" | "body";
  label: string;
  distance: number;
  flags: string[];
  uscc?: string;
  registered: boolean;
  root?: boolean;
  expanded?: boolean;
  controller?: { share: number; controls: boolean };
  risk?: boolean;
}

export interface GEdge { id: string; source: string; target: string; type: string; share: number | null; risk?: boolean }

const KINDS: Record<string, GNode["kind"]> = { Enterprise: "enterprise", Individual: "person", PublicBody: "body", ENTERPRISE: "enterprise", PERSON: "person", PUBLIC_BODY: "body" };

/** The key of a subject the caller can name, or null (a person the records do not hold). */
export function keyOf(ref: SubjectRef | null | undefined): string | null {
  if (!ref) return null;
  if (ref.uscc) return `E:${ref.uscc}`;
  if (ref.code) return `B:${ref.code}`;
  if (ref.idNumber) return `P:${ref.idNumber}`;
  return null;
}

export class GraphModel {
  readonly nodes = new Map<string, GNode>();
  readonly edges = new Map<string, GEdge>();
  readonly rootKey: string;

  constructor(root: { uscc: string; name: string }) {
    this.rootKey = `E:${root.uscc}`;
    this.nodes.set(this.rootKey, { id: this.rootKey, kind: "enterprise", label: root.name, distance: 0, flags: [], uscc: root.uscc, registered: true, root: true, expanded: true });
  }

  private node(key: string, kind: GNode["kind"], distance: number, display?: SubjectRef | null): GNode {
    const known = this.nodes.get(key);
    if (known) {
      known.distance = Math.min(known.distance, distance);
      if (display?.name && !known.registered) Object.assign(known, { label: labelOf(kind, key, display), registered: true });
      return known;
    }
    const n: GNode = { id: key, kind, label: labelOf(kind, key, display), distance, flags: [], registered: Boolean(display?.name), uscc: key.startsWith("E:") ? key.slice(2) : undefined };
    this.nodes.set(key, n);
    return n;
  }

  /** Walks a path from `start` (either end may come first), adding its nodes and edges; returns the keys along it. */
  private walk(start: string, steps: Step[], baseDistance: number, last?: { key: string | null; kind: string; display?: SubjectRef | null }): { nodes: string[]; edges: string[] } {
    const ordered = touches(steps[0], start) || !touches(steps[steps.length - 1], start) ? steps : [...steps].reverse();
    const nodes = [start];
    const edges: string[] = [];
    let here = start;
    let signature = start;
    ordered.forEach((s, i) => {
      const [a, b] = [keyOf(s.from), keyOf(s.to)];
      // The end that is not here; when here is a person without a key, it is the step's null end.
      const farRef = a === here ? s.to : b === here ? s.from : s.from === null ? s.to : s.to === null ? s.from : s.to;
      signature += `|${s.type}`;
      const isLast = i === ordered.length - 1;
      const far = keyOf(farRef) ?? (isLast ? last?.key : null) ?? `U:${signature}`;
      const kind = KINDS[farRef?.__typename ?? (isLast ? last?.kind ?? "" : "")] ?? "person";
      this.node(far, kind, baseDistance + i + 1, isLast ? last?.display ?? farRef : farRef);
      const [source, target] = farRef === s.to ? [here, far] : [far, here];
      const id = `${source}>${s.type}>${target}`;
      if (!this.edges.has(id)) this.edges.set(id, { id, source, target, type: s.type, share: s.share });
      edges.push(id);
      nodes.push(far);
      here = far;
    });
    return { nodes, edges };
  }

  /** Affiliates of `from` (the root, or an enterprise being expanded), `from`'s own distance added. */
  addAffiliates(from: string, list: Affiliate[]): void {
    const base = this.nodes.get(from)?.distance ?? 0;
    for (const a of list) {
      const { nodes } = this.walk(from, a.path, base, { key: keyOf(a.id) ?? keyOf(a.subject), kind: a.kind, display: a.subject });
      const n = this.nodes.get(nodes[nodes.length - 1])!;
      n.flags = [...new Set([...n.flags, ...a.riskFlags])];
    }
    const f = this.nodes.get(from);
    if (f) f.expanded = true;
  }

  /** Ultimate controllers, with their ownership paths when every step is of a type shown (`shown` absent: all). */
  markControllers(list: Controller[], shown?: Set<string>): void {
    for (const c of list) {
      let key = keyOf(c.id) ?? keyOf(c.subject);
      for (const p of c.paths) if (allShown(p.steps, shown)) key = this.walk(this.rootKey, p.steps, 0, { key, kind: c.kind, display: c.subject }).nodes.at(-1) ?? key;
      const n = key ? this.nodes.get(key) : undefined;
      if (n) n.controller = { share: c.effectiveShare, controls: c.controls };
    }
  }

  /** The paths behind relatedPartyRisk: every node and edge on one is marked (only paths whose steps are all of a type shown). */
  markRisk(list: Contribution[], shown?: Set<string>): void {
    for (const c of list) {
      if (!allShown(c.path, shown)) continue;
      const { nodes, edges } = this.walk(this.rootKey, c.path, 0, { key: keyOf(c.id), kind: c.kind });
      for (const k of nodes) this.nodes.get(k)!.risk = true;
      for (const e of edges) this.edges.get(e)!.risk = true;
      const end = this.nodes.get(nodes[nodes.length - 1])!;
      end.flags = [...new Set([...end.flags, ...c.flags])];
    }
  }
}

const allShown = (steps: Step[], shown?: Set<string>) => !shown || steps.every((s) => shown.has(s.type));

function touches(s: Step | undefined, key: string): boolean {
  return Boolean(s) && (keyOf(s!.from) === key || keyOf(s!.to) === key);
}

function labelOf(kind: GNode["kind"], key: string, d?: SubjectRef | null): string {
  if (kind === "person") return d?.name ? `${d.name}\n${d.idNumber ?? ""}` : "未登记自然人";
  if (kind === "body") return d?.name ?? key.slice(2);
  return d?.name ?? `未登记企业\n${key.slice(2)}`;
}

/** One line for an edge: the relation, and the share for holdings. */
export function edgeLabel(e: GEdge): string {
  return e.share != null ? `${relation(e.type)} ${percent(e.share)}` : relation(e.type);
}

/** The node's text in the graph: a star for controllers, the flags it carries. */
export function nodeLabel(n: GNode): string {
  const star = n.controller ? (n.controller.controls ? "★ " : "☆ ") : "";
  const flags = n.flags.length ? `\n⚠ ${n.flags.map(flag).join("、")}` : "";
  return `${star}${n.label}${flags}`;
}
