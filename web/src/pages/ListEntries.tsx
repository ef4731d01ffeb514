/** 名单: a subject's entries in every member city, each with its state and its hash-chained history. */
import { entryState, listType, term, when } from "../labels.js";
import { Badge, Empty, Table } from "../components.js";

export const LIST_ENTRY_FIELDS = `id listType state severity field authority issuingCity { name } basis { type referenceNumber decidedOn }
  publicityUntil underObjection responsibleRole history { seq action fromState toState actor actorCity { name } reason at }`;

export interface ListEntry {
  id: string;
  listType: string;
  state: string;
  severity: string | null;
  field: string;
  authority: string;
  issuingCity: { name: string };
  basis: { type: string; referenceNumber: string; decidedOn: string };
  publicityUntil: string | null;
  underObjection: boolean;
  responsibleRole: string | null;
  history: Array<{ seq: number; action: string; fromState: string | null; toState: string | null; actor: string; actorCity: { name: string }; reason: string; at: string }>;
}

const LIVE = new Set(["RECOGNISED", "PUBLISHED", "UNDER_OBJECTION", "RECTIFYING"]);

function stateTone(e: ListEntry): "red" | "amber" | "green" | "grey" {
  if (e.listType === "RED") return "green";
  if (!LIVE.has(e.state)) return "grey";
  return e.state === "UNDER_OBJECTION" || e.state === "RECTIFYING" ? "amber" : "red";
}

function History(props: { entry: ListEntry }) {
  return (
    <details>
      <summary>历史 {props.entry.history.length} 条</summary>
      <ol class="history">
        {props.entry.history.map((h) => (
          <li key={h.seq}>
            <span class="muted">{when(h.at)}</span> {h.actorCity.name} · {h.fromState ? `${entryState(h.fromState)} → ` : ""}{entryState(h.toState)}
            {h.reason && <span class="muted">（{h.reason}）</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}

export function ListEntries(props: { entries: ListEntry[] }) {
  if (props.entries.length === 0) return <Empty>各成员城市均无名单记录。</Empty>;
  return (
    <Table testId="list-entries" head={["名单", "状态", "认定城市 / 部门", "认定依据", "失信程度", "公示截止", "历史"]} rows={props.entries.map((e) => [
      <>{listType(e.listType)}{e.responsibleRole && <div class="muted small">因担任{e.responsibleRole}关联列入</div>}</>,
      <span data-entry-id={e.id} data-state={e.state}><Badge tone={stateTone(e)}>{entryState(e.state)}</Badge>{e.underObjection && <Badge tone="amber">异议标注</Badge>}</span>,
      <>{e.issuingCity.name}<div class="muted small">{e.authority} · {e.field}</div></>,
      <>{term(e.basis.type)}<div class="muted small">{e.basis.referenceNumber}（{e.basis.decidedOn}）</div></>,
      term(e.severity),
      e.publicityUntil ?? "—",
      <History entry={e} />,
    ])} />
  );
}
