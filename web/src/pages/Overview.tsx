/**
 * 区域概览: list entries of the member cities counted by city and type, over time (month of
 * the basis decision) and by state, as ECharts charts; data-quality figures once the API
 * has them (optional query).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { optionalQuery, type Selection } from "../api/optional.js";
import { listType } from "../labels.js";
import { Failure, Loading, Section, Table, useQuery } from "../components.js";
import { useSession } from "../state.js";
import type { Stats } from "../charts.js";

const LIVE = ["RECOGNISED", "PUBLISHED", "UNDER_OBJECTION", "RECTIFYING"];
const QUERY = `query($cities: [ID!], $states: [ListEntryState!]) { listStatistics(cities: $cities, states: $states) { total
  byCityAndType { city { code name } listType count } byMonth { month listType count } byState { state count } } }`;

type Draw = "byCity" | "byMonth" | "byState";

/** One chart; ECharts comes with the first one drawn. */
function Chart(props: { stats: Stats; draw: Draw; testId: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let undo: (() => void) | undefined;
    let live = true;
    void import("../charts.js").then((c) => {
      if (live && el.current) undo = c.render(el.current, c[props.draw](props.stats));
      if (el.current) el.current.dataset.drawn = "true";
    });
    return () => { live = false; undo?.(); };
  }, [props.stats, props.draw]);
  return <div class="chart" ref={el} data-testid={props.testId} />;
}

const QUALITY: Selection[] = [{ name: "dataQuality", args: "(city: $c)", sub: ["__typename", { name: "usccErrorRate" }, { name: "duplicateRate" }, { name: "timeliness" }, { name: "completeness" }, { name: "collectionRate" }] }];

function Quality() {
  const { session } = useSession();
  const [data, setData] = useState<Record<string, unknown> | null>(null);
  useEffect(() => {
    if (!session.claims.city) return;
    optionalQuery<{ dataQuality: Record<string, unknown> | null }>(session.token, "data-quality", "query($c: ID!)", QUALITY, { c: session.claims.city })
      .then((r) => setData(r?.data?.dataQuality ?? null), () => setData(null));
  }, []);
  if (!data) return null;
  const rows = Object.entries(data).filter(([k]) => k !== "__typename").map(([k, v]) => [k, String(v)]);
  return <Section title={`数据质量：${session.cityName ?? session.claims.city}`} id="quality"><Table head={["指标", "数值"]} rows={rows} /></Section>;
}

export function OverviewPage() {
  const [liveOnly, setLiveOnly] = useState(false);
  const q = useQuery<{ listStatistics: Stats }>(QUERY, { cities: null, states: liveOnly ? LIVE : null });
  const s = q.data?.listStatistics;
  const perCity = new Map<string, number>();
  for (const r of s?.byCityAndType ?? []) perCity.set(r.city.name, (perCity.get(r.city.name) ?? 0) + r.count);
  return (
    <>
      <Section title="区域概览：各城市名单" id="overview" extra={<label class="check"><input type="checkbox" checked={liveOnly} onChange={(e) => setLiveOnly((e.target as HTMLInputElement).checked)} />只看有效条目</label>}>
        <Loading when={q.loading} /><Failure text={q.failure} />
        {s && (
          <>
            <p>成员城市名单条目共 <strong data-testid="overview-total">{s.total}</strong> 条{liveOnly ? "（认定、公示、异议、整改中）" : ""}。</p>
            <div class="charts">
              <figure><figcaption>按城市和名单类型</figcaption><Chart stats={s} draw="byCity" testId="chart-city" /></figure>
              <figure><figcaption>按认定依据决定月份</figcaption><Chart stats={s} draw="byMonth" testId="chart-month" /></figure>
              <figure><figcaption>按状态</figcaption><Chart stats={s} draw="byState" testId="chart-state" /></figure>
            </div>
            <details><summary>数据表</summary>
              <Table testId="overview-table" head={["城市", "名单类型", "条目数"]} rows={s.byCityAndType.map((r) => [r.city.name, listType(r.listType), r.count])} />
              <p class="muted small">各城市合计：{[...perCity].map(([c, n]) => `${c} ${n}`).join("，")}</p>
            </details>
          </>
        )}
      </Section>
      <Quality />
    </>
  );
}
