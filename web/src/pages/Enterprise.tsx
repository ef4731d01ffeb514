/** 主体详情: an enterprise's records by issuing city, its lists with history, alerts, graph summary and what other issues add. */
import { useState } from "preact/hooks";
import { flag, percent, term, when } from "../labels.js";
import { Badge, Empty, Failure, FieldErrors, Loading, Section, Table, useQuery } from "../components.js";
import { graphql } from "../api/http.js";
import { useSession } from "../state.js";
import { ListEntries, LIST_ENTRY_FIELDS, type ListEntry } from "./ListEntries.js";
import { Extras } from "./Extras.js";

interface Decision { decisionNumber: string; authority: string; decidedOn: string; issuingCity: { name: string } }
interface License extends Decision { licenseName: string; validUntil: string | null }
interface Penalty extends Decision { content: string; fineAmount: string | null; publicityUntil: string }
interface Alert { id: string; severity: string; message: string; raisedAt: string; city: { name: string } }
interface Enterprise {
  uscc: string; name: string; status: string; legalRepresentativeName: string; registeredCity: { name: string };
  registeredCapital: string; establishedOn: string; industryCode: string; address: string;
  administrativeLicenses: License[]; administrativePenalties: Penalty[]; listEntries: ListEntry[]; riskAlerts: Alert[];
}

const QUERY = `query($u: ID!) { enterprise(uscc: $u) {
  uscc name status legalRepresentativeName registeredCity { name } registeredCapital establishedOn industryCode address
  administrativeLicenses { decisionNumber licenseName authority decidedOn validUntil issuingCity { name } }
  administrativePenalties { decisionNumber authority decidedOn content fineAmount publicityUntil issuingCity { name } }
  listEntries { ${LIST_ENTRY_FIELDS} }
  riskAlerts(first: 10) { id severity message raisedAt city { name } } } }`;

const GRAPH = `query($u: ID!) { enterprise(uscc: $u) { uscc relatedPartyRisk { score contributions { flags distance contribution } }
  ultimateControllers { kind effectiveShare controls subject { __typename ... on Individual { name } ... on Enterprise { name } ... on PublicBody { name } } } } }`;

/** 各城市记录: licences and penalties counted by the city that issued them, then listed. */
function RecordsByCity(props: { e: Enterprise }) {
  const byCity = new Map<string, { licenses: number; penalties: number }>();
  for (const l of props.e.administrativeLicenses) (byCity.get(l.issuingCity.name) ?? byCity.set(l.issuingCity.name, { licenses: 0, penalties: 0 }).get(l.issuingCity.name)!).licenses++;
  for (const p of props.e.administrativePenalties) (byCity.get(p.issuingCity.name) ?? byCity.set(p.issuingCity.name, { licenses: 0, penalties: 0 }).get(p.issuingCity.name)!).penalties++;
  if (byCity.size === 0) return <Empty>暂无行政许可和行政处罚记录。</Empty>;
  return (
    <>
      <Table testId="records-by-city" head={["发布城市", "行政许可", "行政处罚（公示期内）"]} rows={[...byCity].map(([city, n]) => [city, n.licenses, n.penalties])} />
      <details><summary>行政许可 {props.e.administrativeLicenses.length} 件</summary>
        <Table head={["决定文书号", "许可名称", "机关", "决定日期", "有效期至", "城市"]} rows={props.e.administrativeLicenses.map((l) => [l.decisionNumber, l.licenseName, l.authority, l.decidedOn, l.validUntil ?? "长期", l.issuingCity.name])} />
      </details>
      <details><summary>行政处罚 {props.e.administrativePenalties.length} 件</summary>
        <Table head={["决定文书号", "机关", "决定日期", "内容", "罚款（元）", "公示截止", "城市"]} rows={props.e.administrativePenalties.map((p) => [p.decisionNumber, p.authority, p.decidedOn, p.content, p.fineAmount ?? "—", p.publicityUntil, p.issuingCity.name])} />
      </details>
    </>
  );
}

interface GraphSummary { relatedPartyRisk: { score: number; contributions: Array<{ flags: string[]; distance: number; contribution: number }> }; ultimateControllers: Array<{ kind: string; effectiveShare: number; controls: boolean; subject: { name?: string } | null }> }

function RiskSummary(props: { uscc: string }) {
  const q = useQuery<{ enterprise: GraphSummary | null }>(GRAPH, { u: props.uscc });
  const g = q.data?.enterprise;
  return (
    <Section title="关联方风险与实际控制人" id="graph-summary" extra={<a href={`#/graph/${props.uscc}`} data-testid="open-graph">查看关联图谱 →</a>}>
      <Loading when={q.loading} /><Failure text={q.failure} /><FieldErrors errors={q.errors} />
      {g && (
        <>
          <p>关联方风险得分 <strong data-testid="risk-score">{g.relatedPartyRisk.score.toFixed(3)}</strong>
            {g.relatedPartyRisk.contributions.map((c, i) => <Badge key={i} tone="red">{c.flags.map(flag).join("、")}（{c.distance} 度，{percent(c.contribution)}）</Badge>)}</p>
          {g.ultimateControllers.length === 0 ? <Empty>未发现持股 25% 以上或实际控制的最终控制人。</Empty> : (
            <Table head={["最终控制人", "类别", "穿透持股", "控制"]} rows={g.ultimateControllers.map((c) => [c.subject?.name ?? "（未登记）", term(c.kind), percent(c.effectiveShare), c.controls ? "是" : "否"])} />
          )}
        </>
      )}
    </Section>
  );
}

/** 加入关注名单: the user's first watchlist (made when there is none); its alerts stream on the live page. */
function WatchButton(props: { uscc: string }) {
  const { session } = useSession();
  const [note, setNote] = useState<string | null>(null);
  const watch = async () => {
    try {
      const lists = await graphql<{ watchlists: Array<{ id: string; name: string }> }>(session.token, "{ watchlists { id name } }");
      const first = lists.data?.watchlists[0];
      if (first) await graphql<{ addToWatchlist: { name: string } }>(session.token, "mutation($id: ID!, $u: [ID!]!) { addToWatchlist(id: $id, enterprises: $u) { name } }", { id: first.id, u: [props.uscc] })
      else await graphql<{ createWatchlist: { name: string } }>(session.token, "mutation($u: [ID!]!) { createWatchlist(name: \"我的关注名单\", enterprises: $u) { name } }", { u: [props.uscc] });
      setNote(`已加入「${first?.name ?? "我的关注名单"}」`);
    } catch (err) {
      setNote(err instanceof Error ? err.message : String(err));
    }
  };
  return <span>{note ? <span class="muted">{note}</span> : <button onClick={watch}>加入关注名单</button>}</span>;
}

export function EnterprisePage(props: { uscc: string }) {
  const q = useQuery<{ enterprise: Enterprise | null }>(QUERY, { u: props.uscc });
  const e = q.data?.enterprise;
  if (q.loading && !e) return <Loading when />;
  if (q.failure) return <Failure text={q.failure} />;
  if (!e) return <Empty>未找到统一社会信用代码为 {props.uscc} 的企业。</Empty>;
  return (
    <>
      <Section title={e.name} id="basics" extra={<WatchButton uscc={e.uscc} />}>
        <FieldErrors errors={q.errors} />
        <dl class="pairs wide" data-testid="subject-basics">
          <dt>统一社会信用代码</dt><dd><code>{e.uscc}</code></dd>
          <dt>登记城市</dt><dd>{e.registeredCity.name}</dd>
          <dt>登记状态</dt><dd>{term(e.status)}</dd>
          <dt>法定代表人</dt><dd>{e.legalRepresentativeName}</dd>
          <dt>注册资本</dt><dd>{Number(e.registeredCapital).toLocaleString("zh-CN")} 元</dd>
          <dt>成立日期</dt><dd>{e.establishedOn}</dd>
          <dt>行业代码</dt><dd>{e.industryCode}</dd>
          <dt>住所</dt><dd>{e.address}</dd>
        </dl>
      </Section>
      <Section title="各城市记录" id="records"><RecordsByCity e={e} /></Section>
      <Section title="名单" id="lists"><ListEntries entries={e.listEntries} /></Section>
      <Extras uscc={e.uscc} />
      <RiskSummary uscc={e.uscc} />
      <Section title="风险预警" id="alerts">
        {e.riskAlerts.length === 0 ? <Empty>暂无风险预警。</Empty> : (
          <Table head={["时间", "等级", "城市", "内容"]} rows={e.riskAlerts.map((a) => [when(a.raisedAt), <Badge tone={a.severity === "HIGH" ? "red" : "amber"}>{term(a.severity)}</Badge>, a.city.name, a.message])} />
        )}
      </Section>
    </>
  );
}
