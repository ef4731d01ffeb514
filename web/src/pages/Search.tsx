/** 主体查询: by part of the name (any member city or some), by USCC, or by ID number with a stated purpose. */
import { useState } from "preact/hooks";
import { term } from "../labels.js";
import { Empty, Failure, FieldErrors, Loading, Section, Table, useQuery } from "../components.js";
import { go, personLookup } from "../state.js";

type Mode = "name" | "uscc" | "id";

interface EnterpriseRow { uscc: string; name: string; status: string; legalRepresentativeName: string; registeredCity: { name: string } }
interface Page { enterprises: { edges: Array<{ node: EnterpriseRow }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }

const ROW = "uscc name status legalRepresentativeName registeredCity { name }";
const BY_NAME = `query($f: EnterpriseFilter, $after: String) { enterprises(filter: $f, first: 20, after: $after) { edges { node { ${ROW} } } pageInfo { hasNextPage endCursor } } }`;
const BY_USCC = `query($u: ID!) { enterprise(uscc: $u) { ${ROW} } }`;

function Results(props: { rows: EnterpriseRow[] }) {
  if (props.rows.length === 0) return <Empty>没有符合条件的主体。</Empty>;
  return (
    <Table testId="search-results" head={["名称", "统一社会信用代码", "登记城市", "登记状态", "法定代表人"]} rows={props.rows.map((e) => [
      <a href={`#/enterprise/${e.uscc}`} data-testid="result-link">{e.name}</a>, <code>{e.uscc}</code>, e.registeredCity.name, term(e.status), e.legalRepresentativeName,
    ])} />
  );
}

function NameResults(props: { text: string; city: string }) {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1];
  const q = useQuery<Page>(BY_NAME, { f: { nameContains: props.text, ...(props.city ? { cities: [props.city] } : {}) }, after });
  const page = q.data?.enterprises;
  return (
    <>
      <Loading when={q.loading} /><Failure text={q.failure} /><FieldErrors errors={q.errors} />
      {page && <Results rows={page.edges.map((e) => e.node)} />}
      <div class="pager">
        {cursors.length > 1 && <button onClick={() => setCursors(cursors.slice(0, -1))}>上一页</button>}
        {page?.pageInfo.hasNextPage && <button onClick={() => setCursors([...cursors, page.pageInfo.endCursor])}>下一页</button>}
      </div>
    </>
  );
}

function UsccResult(props: { uscc: string }) {
  const q = useQuery<{ enterprise: EnterpriseRow | null }>(BY_USCC, { u: props.uscc });
  return (
    <>
      <Loading when={q.loading} /><Failure text={q.failure} />
      {q.data && <Results rows={q.data.enterprise ? [q.data.enterprise] : []} />}
    </>
  );
}

export function Search() {
  const [mode, setMode] = useState<Mode>("name");
  const [text, setText] = useState("");
  const [purpose, setPurpose] = useState("");
  const [city, setCity] = useState("");
  const [asked, setAsked] = useState<{ mode: Mode; text: string; city: string } | null>(null);
  const cities = useQuery<{ cities: Array<{ code: string; name: string }> }>("{ cities { code name } }");
  const submit = (e: Event) => {
    e.preventDefault();
    const t = text.trim().toUpperCase();
    if (mode === "id") {
      personLookup.idNumber = t;
      personLookup.purpose = purpose.trim();
      go("person");
      return;
    }
    setAsked({ mode, text: mode === "name" ? text.trim() : t, city });
  };
  return (
    <>
      <Section title="主体查询">
        <form class="search" onSubmit={submit}>
          <select aria-label="查询方式" value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value as Mode)}>
            <option value="name">企业名称包含</option>
            <option value="uscc">统一社会信用代码</option>
            <option value="id">公民身份号码</option>
          </select>
          <input name="q" aria-label="查询内容" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)}
            placeholder={mode === "name" ? "如：煤业" : mode === "uscc" ? "18 位统一社会信用代码" : "18 位公民身份号码"} />
          {mode === "name" && (
            <select aria-label="登记城市" value={city} onChange={(e) => setCity((e.target as HTMLSelectElement).value)}>
              <option value="">全部成员城市</option>
              {cities.data?.cities.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
            </select>
          )}
          {mode === "id" && <input name="purpose" aria-label="查询目的" value={purpose} onInput={(e) => setPurpose((e.target as HTMLInputElement).value)} placeholder="查询目的（必填，将登记）" />}
          <button type="submit" disabled={text.trim() === "" || (mode === "id" && purpose.trim().length < 2)}>查询</button>
        </form>
        {mode === "id" && <p class="muted small">按身份证号查询须说明目的，每次查询都会登记（查询登记）；无“个人信息明文”权限时，号码和姓名按接口返回的脱敏形式显示。</p>}
      </Section>
      {asked && (
        <Section title="查询结果">
          {asked.mode === "name" ? <NameResults key={`${asked.text}|${asked.city}`} text={asked.text} city={asked.city} /> : <UsccResult uscc={asked.text} />}
        </Section>
      )}
    </>
  );
}
