/**
 * Ratings, supervision tier and portrait: parts other issues are adding to the API. Asked for
 * through optionalQuery, so each section appears once the gateway has its fields and stays
 * hidden until then; what comes back is shown as the API returns it.
 */
import { Fragment, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { optionalQuery, type Field, type Selection } from "../api/optional.js";
import { term } from "../labels.js";
import { Section } from "../components.js";
import { useSession } from "../state.js";

const f = (name: string, ...sub: Array<string | Field>): Field => ({ name, sub: sub.length ? sub.map((s) => (typeof s === "string" ? { name: s } : s)) : undefined });

/** Ratings and tier as the ratings subgraph serves them; the portrait in the names its issue uses. */
const EXTRAS: Selection[] = [
  f("ratings", "evaluatorType", "evaluator", f("issuingCity", "name"), f("scale", "title"), "modelVersion", "score", "grade", "tier", "ratedOn", "validUntil"),
  { name: "supervisionTier", alias: "tierDetail", sub: ["__typename", { name: "tier" }, { name: "rated" }, { name: "inspection", sub: [{ name: "ratio" }, { name: "frequency" }] }] },
  { name: "portrait", sub: ["__typename", { name: "recordCounts" }, { name: "activeLists" }, { name: "latestRatings" }, { name: "tier" }, { name: "openObjections" }, { name: "openRepairs" }, { name: "relatedPartyRisk" }, { name: "trend" }] },
];

const LABELS: Record<string, string> = {
  evaluatorType: "评价类型", evaluator: "评价机构", issuingCity: "发布城市", modelVersion: "模型版本", score: "分值", grade: "等级", scale: "等级标尺", title: "名称", tier: "风险类别", rated: "已评价", inspection: "抽查规则", ratio: "抽查比例",
  ratedOn: "评价日期", validUntil: "有效期至", inspectionRatio: "抽查比例", frequency: "抽查频次", name: "名称", recordCounts: "记录数量",
  activeLists: "有效名单", latestRatings: "最新评级", openObjections: "未结异议", openRepairs: "进行中的信用修复", relatedPartyRisk: "关联方风险", trend: "近 12 个月趋势",
  count: "数量", type: "类型", city: "城市", month: "月份",
};

/** Any value the API sent: objects as label/value pairs, lists of objects as tables. */
function Value(props: { value: unknown }): JSX.Element {
  const v = props.value;
  if (v === null || v === undefined) return <span class="muted">—</span>;
  if (Array.isArray(v)) {
    if (v.length === 0) return <span class="muted">无</span>;
    return <ul class="plain">{v.map((x, i) => <li key={i}><Value value={x} /></li>)}</ul>;
  }
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([k]) => k !== "__typename");
    return <dl class="pairs">{entries.map(([k, x]) => <Fragment key={k}><dt>{LABELS[k] ?? k}</dt><dd><Value value={x} /></dd></Fragment>)}</dl>;
  }
  return <span>{typeof v === "string" ? term(v) : String(v)}</span>;
}

interface ExtrasData { ratings?: unknown[]; tierDetail?: unknown; portrait?: unknown }

export function Extras(props: { uscc: string }) {
  const { session } = useSession();
  const [data, setData] = useState<ExtrasData | null>(null);
  useEffect(() => {
    let live = true;
    optionalQuery<{ enterprise: ExtrasData | null }>(session.token, "enterprise-extras", "query($u: ID!)", [{ name: "enterprise", args: "(uscc: $u)", sub: ["uscc", ...EXTRAS] }], { u: props.uscc })
      .then((r) => live && setData(r?.data?.enterprise ?? null), () => live && setData(null));
    return () => { live = false; };
  }, [props.uscc]);
  if (!data) return null;
  const tier = data.tierDetail;
  return (
    <>
      {(data.ratings !== undefined || tier !== undefined) && (
        <Section title="信用评价与监管等级" id="ratings">
          {tier !== undefined && <p>监管等级：<Value value={tier} /></p>}
          {data.ratings !== undefined && <Value value={data.ratings} />}
        </Section>
      )}
      {data.portrait !== undefined && <Section title="信用画像" id="portrait"><Value value={data.portrait} /></Section>}
    </>
  );
}
