/**
 * 关联图谱: the affiliates of an enterprise drawn with Cytoscape.js. Filter by relation type
 * and date (asOf), expand an enterprise by clicking it, ultimate controllers starred, the
 * paths behind the related-party risk score in red (switchable).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Core } from "cytoscape";
import { graphql } from "../api/http.js";
import { flag, percent, relation, term, RELATION_TYPES } from "../labels.js";
import { Badge, Empty, Failure, Loading, Section } from "../components.js";
import { go, useSession } from "../state.js";
import { GraphModel, type Affiliate, type Contribution, type Controller, type GNode } from "../graph/model.js";

const REF = "__typename ... on Enterprise { uscc } ... on PublicBody { code }";
const DISPLAY = "__typename ... on Enterprise { uscc name } ... on Individual { idNumber name } ... on PublicBody { code name }";
const STEP = "type share from { __typename ... on Enterprise { uscc } ... on Individual { idNumber } ... on PublicBody { code } } to { __typename ... on Enterprise { uscc } ... on Individual { idNumber } ... on PublicBody { code } }";
const AFFILIATE = `kind distance riskFlags id: subject { ${REF} } subject { ${DISPLAY} } path { ${STEP} }`;

// Two requests, each within the gateway's cost limit: the affiliates, then controllers and risk.
const QUERY = `query($u: ID!, $depth: Int, $types: [RelationType!], $asOf: Date) { enterprise(uscc: $u) { uscc name
  affiliates(depth: $depth, relationTypes: $types, asOf: $asOf, first: 100) { totalCount edges { node { ${AFFILIATE} } } } } }`;
const EXPLAIN = `query($u: ID!, $asOf: Date) { enterprise(uscc: $u) {
  ultimateControllers(asOf: $asOf) { kind effectiveShare controls id: subject { ${REF} } subject { ${DISPLAY} } paths { steps { ${STEP} } } }
  relatedPartyRisk(asOf: $asOf) { score formula contributions { kind flags distance contribution id: subject { ${REF} } path { ${STEP} } } } } }`;

const EXPAND = `query($u: ID!, $types: [RelationType!], $asOf: Date) { enterprise(uscc: $u) { affiliates(depth: 1, relationTypes: $types, asOf: $asOf, first: 100) { edges { node { ${AFFILIATE} } } } } }`;

interface Loaded {
  uscc: string; name: string;
  affiliates: { totalCount: number; edges: Array<{ node: Affiliate }> };
  ultimateControllers: Controller[];
  relatedPartyRisk: { score: number; formula: string; contributions: Contribution[] };
}

interface Filters { depth: number; types: string[]; asOf: string }

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function FilterBar(props: { value: Filters; showRisk: boolean; onChange(f: Filters): void; onRisk(v: boolean): void }) {
  const f = props.value;
  // No types chosen means every type: unticking one keeps the others, ticking the last one back means all again.
  const toggle = (t: string) => {
    const current = f.types.length ? f.types : RELATION_TYPES;
    const next = current.includes(t) ? current.filter((x) => x !== t) : [...current, t];
    if (next.length > 0) props.onChange({ ...f, types: next.length === RELATION_TYPES.length ? [] : next });
  };
  return (
    <div class="filters" data-testid="graph-filters">
      <label>日期 <input type="date" name="asOf" value={f.asOf} onChange={(e) => props.onChange({ ...f, asOf: (e.target as HTMLInputElement).value || today() })} /></label>
      <label>层级 <select name="depth" value={f.depth} onChange={(e) => props.onChange({ ...f, depth: Number((e.target as HTMLSelectElement).value) })}>
        {[1, 2, 3].map((d) => <option key={d} value={d}>{d} 度</option>)}</select></label>
      <span class="types">关系：{RELATION_TYPES.map((t) => (
        <label key={t} class="check"><input type="checkbox" name="relation" value={t} checked={f.types.length === 0 || f.types.includes(t)}
          onChange={() => toggle(t)} />{relation(t)}</label>))}
        {f.types.length > 0 && <button class="link" onClick={() => props.onChange({ ...f, types: [] })}>全部</button>}
      </span>
      <label class="check"><input type="checkbox" name="showRisk" checked={props.showRisk} onChange={(e) => props.onRisk((e.target as HTMLInputElement).checked)} />高亮风险路径</label>
    </div>
  );
}

function Details(props: { node: GNode | null; onExpand(n: GNode): void }) {
  const n = props.node;
  if (!n) return <p class="muted small">点击节点查看详情；点击企业节点可展开其关联方。</p>;
  return (
    <div data-testid="node-details">
      <h3>{n.label.split("\n")[0]}</h3>
      <p>{term(n.kind === "enterprise" ? "ENTERPRISE" : n.kind === "person" ? "PERSON" : "PUBLIC_BODY")} · 距离 {n.distance} 度{n.uscc && <> · <code>{n.uscc}</code></>}</p>
      {n.flags.map((x) => <Badge key={x} tone="red">{flag(x)}</Badge>)}
      {n.controller && <p><Badge tone="amber">{n.controller.controls ? "实际控制" : "最终受益"}，穿透持股 {percent(n.controller.share)}</Badge></p>}
      <p>
        {n.uscc && !n.expanded && <button onClick={() => props.onExpand(n)} data-testid="expand-node">展开关联方</button>}
        {n.uscc && n.registered && !n.root && <button class="link" onClick={() => go("enterprise", n.uscc)}>主体详情</button>}
      </p>
    </div>
  );
}

function Risk(props: { risk: Loaded["relatedPartyRisk"] }) {
  return (
    <div data-testid="risk-panel">
      <p>关联方风险得分 <strong>{props.risk.score.toFixed(3)}</strong></p>
      {props.risk.contributions.length === 0 ? <Empty>3 度以内没有带风险标记的关联方。</Empty> : (
        <ol class="plain">{props.risk.contributions.map((c, i) => (
          <li key={i}><Badge tone="red">{c.flags.map(flag).join("、")}</Badge> {c.distance} 度 · 贡献 {percent(c.contribution)}
            <div class="muted small">{c.path.map((s) => relation(s.type)).join(" → ")}</div></li>))}</ol>
      )}
      <p class="muted small">{props.risk.formula}</p>
    </div>
  );
}

function UsccForm() {
  const [u, setU] = useState("");
  return (
    <Section title="关联图谱">
      <form class="search" onSubmit={(e) => { e.preventDefault(); go("graph", u.trim().toUpperCase()); }}>
        <input aria-label="统一社会信用代码" placeholder="统一社会信用代码" value={u} onInput={(e) => setU((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={u.trim().length !== 18}>查看</button>
      </form>
    </Section>
  );
}

export function GraphPage(props: { uscc?: string }) {
  if (!props.uscc) return <UsccForm />;
  return <GraphView key={props.uscc} uscc={props.uscc} />;
}

// Long: the page's state (filters, model, Cytoscape instance, selection) and its one layout read better together.
function GraphView(props: { uscc: string }) {
  const { session } = useSession();
  const [filters, setFilters] = useState<Filters>({ depth: 2, types: [], asOf: today() });
  const [showRisk, setShowRisk] = useState(true);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const model = useRef<GraphModel | null>(null);
  const drawing = useRef<typeof import("../graph/draw.js") | null>(null);
  const vars = { u: props.uscc, depth: filters.depth, types: filters.types.length ? filters.types : null, asOf: filters.asOf };

  useEffect(() => {
    let live = true;
    setFailure(null);
    Promise.all([
      graphql<{ enterprise: Omit<Loaded, "ultimateControllers" | "relatedPartyRisk"> | null }>(session.token, QUERY, vars),
      graphql<{ enterprise: Pick<Loaded, "ultimateControllers" | "relatedPartyRisk"> | null }>(session.token, EXPLAIN, { u: vars.u, asOf: vars.asOf }),
      import("../graph/draw.js"),
    ]).then(([r, x, d]) => {
      if (!live) return;
      drawing.current = d;
      const e = r.data?.enterprise && x.data?.enterprise ? { ...r.data.enterprise, ...x.data.enterprise } : null;
      if (!e) { setFailure([...r.errors, ...x.errors][0]?.message ?? `未找到 ${props.uscc}`); return; }
      const m = new GraphModel(e);
      m.addAffiliates(m.rootKey, e.affiliates.edges.map((x) => x.node));
      const shown = filters.types.length ? new Set(filters.types) : undefined;
      m.markControllers(e.ultimateControllers, shown);
      m.markRisk(e.relatedPartyRisk.contributions, shown);
      model.current = m;
      setLoaded(e);
      setSelected(null);
      setVersion((v) => v + 1);
    }, (err: unknown) => live && setFailure(err instanceof Error ? err.message : String(err)));
    return () => { live = false; };
  }, [JSON.stringify(vars)]);

  useEffect(() => {
    const d = drawing.current, m = model.current;
    if (!d || !m || !box.current) return;
    cy.current ??= d.createGraph(box.current, setSelected);
    d.draw(cy.current, m, showRisk);
    const c = cy.current;
    Object.assign(box.current.dataset, { nodes: String(c.nodes().length), edges: String(c.edges().length), riskEdges: String(c.edges(".risk").length), controllers: String(c.nodes(".controller").length) });
  }, [version, showRisk]);
  useEffect(() => () => cy.current?.destroy(), []);

  const expand = async (n: GNode) => {
    const r = await graphql<{ enterprise: { affiliates: { edges: Array<{ node: Affiliate }> } } | null }>(session.token, EXPAND, { u: n.uscc, types: vars.types, asOf: vars.asOf });
    if (!r.data?.enterprise || !model.current) { setFailure(r.errors[0]?.message ?? "展开失败"); return; }
    model.current.addAffiliates(n.id, r.data.enterprise.affiliates.edges.map((x) => x.node));
    setVersion((v) => v + 1);
  };

  const m = model.current;
  return (
    <Section title={`关联图谱：${loaded?.name ?? props.uscc}`} id="graph" extra={<a href={`#/enterprise/${props.uscc}`}>主体详情 →</a>}>
      <FilterBar value={filters} showRisk={showRisk} onChange={setFilters} onRisk={setShowRisk} />
      <Failure text={failure} />
      <Loading when={!loaded && !failure} />
      <div class="graph-layout">
        <div class="graph-box" ref={box} data-testid="graph" />
        <aside class="graph-side">
          {m && <p class="muted small" data-testid="graph-counts">节点 {m.nodes.size} · 关系 {m.edges.size}{loaded && loaded.affiliates.totalCount > 100 ? `（仅显示前 100 个关联方，共 ${loaded.affiliates.totalCount} 个）` : ""}</p>}
          <Details node={selected && m ? m.nodes.get(selected) ?? null : null} onExpand={(n) => void expand(n)} />
          {loaded && <Risk risk={loaded.relatedPartyRisk} />}
          <p class="legend small"><span class="key enterprise" />企业 <span class="key person" />自然人 <span class="key body" />公共机构 <span class="key controller" />最终控制人（★ 实际控制） <span class="key risk" />风险路径</p>
        </aside>
      </div>
    </Section>
  );
}
