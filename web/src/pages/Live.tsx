/**
 * 实时动态: list changes in every member city (or one), and risk alerts on the user's
 * watchlist, over graphql-ws. After a dropped connection each feed subscribes again from the
 * last sequence it saw and drops events it has already shown.
 */
import { useEffect, useState } from "preact/hooks";
import { liveConnection, startFeed, type FeedStatus, type LiveConnection } from "../api/live.js";
import type { ResumePoint } from "../api/resume.js";
import { entryState, listType, term, when } from "../labels.js";
import { Badge, Empty, Section, useQuery } from "../components.js";
import { useSession } from "../state.js";

interface Subject { __typename: string; uscc?: string; idNumber?: string; name?: string }
interface ListEvent {
  id: string; sequence: string; occurredAt: string; city: { name: string }; fromState: string | null; toState: string | null;
  entry: { id: string; listType: string; issuingCity: { name: string }; subject: Subject | null } | null;
}
interface AlertEvent { id: string; sequence: string; occurredAt: string; city: { name: string }; alert: { severity: string; message: string; subject: { uscc: string; name: string } | null } | null }

const LISTS = `subscription($after: String, $cities: [ID!]) { listEntryChanged(after: $after, cities: $cities) { id sequence occurredAt city { name } fromState toState
  entry { id listType issuingCity { name } subject { __typename ... on Enterprise { uscc name } ... on Individual { idNumber name } } } } }`;
const ALERTS = `subscription($after: String, $w: ID) { riskAlert(after: $after, watchlist: $w) { id sequence occurredAt city { name } alert { severity message subject { uscc name } } } }`;

const KEEP = 200;

function statusText(s: FeedStatus): string {
  switch (s.state) {
    case "connecting": return "连接中…";
    case "live": return s.resumedFrom ? `已连接（自序号 ${s.resumedFrom} 续传，第 ${s.reconnects} 次重连）` : "已连接";
    case "retrying": return `连接中断，${s.inSeconds} 秒后重连（第 ${s.reconnects} 次）`;
    case "stopped": return `已停止：${s.reason}`;
  }
}

/** One feed: its status line, counters and newest events first. */
function useFeed<E extends { id: string; sequence: string }>(connection: LiveConnection | null, query: string, field: string, variables: Record<string, unknown> | null) {
  const [events, setEvents] = useState<E[]>([]);
  const [status, setStatus] = useState<FeedStatus>({ state: "connecting" });
  const [dropped, setDropped] = useState(0);
  useEffect(() => {
    if (!connection || !variables) return;
    setEvents([]);
    return startFeed<E>({
      connection, query, field, variables,
      onEvent: (e) => setEvents((list) => [e, ...list].slice(0, KEEP)),
      onDuplicate: setDropped,
      onStatus: (s: FeedStatus, p: ResumePoint) => { setStatus(s); setDropped(p.dropped); },
    });
  }, [connection, JSON.stringify(variables)]);
  return { events, status, dropped };
}

function Status(props: { id: string; status: FeedStatus; count: number; dropped: number }) {
  const tone = props.status.state === "live" ? "green" : props.status.state === "stopped" ? "red" : "amber";
  return (
    <p data-testid={`${props.id}-status`} data-state={props.status.state}>
      <Badge tone={tone}>{statusText(props.status)}</Badge>
      <span class="muted small"> 本页已接收 {props.count} 条；重复送达已丢弃 <span data-testid={`${props.id}-dropped`}>{props.dropped}</span> 条</span>
    </p>
  );
}

function subjectText(s: Subject | null | undefined): string {
  if (!s) return "—";
  return s.__typename === "Enterprise" ? `${s.name ?? ""}（${s.uscc}）` : `${s.name ?? ""}（${s.idNumber ?? "自然人"}）`;
}

export function LivePage() {
  const { session } = useSession();
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  const [mine, setMine] = useState(false);
  const watchlists = useQuery<{ watchlists: Array<{ id: string; name: string; enterprises: Array<{ uscc: string }> }> }>("{ watchlists { id name enterprises { uscc } } }");
  const [watch, setWatch] = useState<string | null>(null);
  const chosen = watch ?? watchlists.data?.watchlists[0]?.id ?? null;
  useEffect(() => {
    const c = liveConnection(session.token);
    setConnection(c);
    return () => void c.client.dispose();
  }, [session.token]);
  const lists = useFeed<ListEvent>(connection, LISTS, "listEntryChanged", { cities: mine && session.claims.city ? [session.claims.city] : null });
  const alerts = useFeed<AlertEvent>(connection, ALERTS, "riskAlert", chosen ? { w: chosen } : null);
  return (
    <>
      <Section title="名单变动" id="feed" extra={<label class="check"><input type="checkbox" checked={mine} onChange={(e) => setMine((e.target as HTMLInputElement).checked)} />只看本市</label>}>
        <Status id="feed" status={lists.status} count={lists.events.length} dropped={lists.dropped} />
        {lists.events.length === 0 ? <Empty>等待新的名单变动…</Empty> : (
          <ol class="feed" data-testid="feed-events">{lists.events.map((e) => (
            <li key={e.id} data-event-id={e.id} data-entry-id={e.entry?.id} data-sequence={e.sequence}>
              <span class="muted">{when(e.occurredAt)}</span> <strong>{e.city.name}</strong> · {listType(e.entry?.listType ?? "")} ·{" "}
              {e.fromState ? `${entryState(e.fromState)} → ` : "新认定 "}<Badge tone="blue">{entryState(e.toState)}</Badge> · {subjectText(e.entry?.subject)}
              <span class="muted small"> 条目 {e.entry?.id} · 序号 {e.sequence}</span>
            </li>))}</ol>
        )}
      </Section>
      <Section title="关注名单风险预警" id="alerts" extra={watchlists.data && watchlists.data.watchlists.length > 1 && (
        <select aria-label="关注名单" value={chosen ?? ""} onChange={(e) => setWatch((e.target as HTMLSelectElement).value)}>
          {watchlists.data.watchlists.map((w) => <option key={w.id} value={w.id}>{w.name}（{w.enterprises.length} 家）</option>)}
        </select>)}>
        {!chosen ? <Empty>还没有关注名单：在主体详情页点击“加入关注名单”后，这里实时显示名单内企业的风险预警。</Empty> : (
          <>
            <Status id="alerts" status={alerts.status} count={alerts.events.length} dropped={alerts.dropped} />
            {alerts.events.length === 0 ? <Empty>等待新的风险预警…</Empty> : (
              <ol class="feed" data-testid="alert-events">{alerts.events.map((e) => (
                <li key={e.id} data-event-id={e.id}><span class="muted">{when(e.occurredAt)}</span> <Badge tone={e.alert?.severity === "HIGH" ? "red" : "amber"}>{term(e.alert?.severity)}</Badge>{" "}
                  {e.alert?.subject?.name} · {e.alert?.message}</li>))}</ol>
            )}
          </>
        )}
      </Section>
    </>
  );
}
