/**
 * 自然人: one person looked up by ID number with a stated purpose (registered by the hub).
 * Number and name are shown exactly as the API returns them: masked without personal:read.
 */
import { term } from "../labels.js";
import { Empty, Failure, FieldErrors, Loading, Section, Table, useQuery } from "../components.js";
import { personLookup } from "../state.js";
import { ListEntries, LIST_ENTRY_FIELDS, type ListEntry } from "./ListEntries.js";

interface Person {
  idNumber: string; name: string; city: { name: string };
  professionalQualifications: Array<{ title: string; certificateNumber: string; issuedBy: string; issuedOn: string; validUntil: string | null; issuingCity: { name: string } }>;
  listEntries: ListEntry[];
}

const QUERY = `query($id: ID!, $purpose: String!) { individual(idNumber: $id, purpose: $purpose) { idNumber name city { name }
  professionalQualifications { title certificateNumber issuedBy issuedOn validUntil issuingCity { name } } listEntries { ${LIST_ENTRY_FIELDS} } } }`;

export function PersonPage() {
  const { idNumber, purpose } = personLookup;
  const q = useQuery<{ individual: Person | null }>(idNumber && purpose ? QUERY : null, { id: idNumber, purpose });
  if (!idNumber || !purpose) return <Empty>请先在“主体查询”中输入公民身份号码和查询目的。</Empty>;
  if (q.loading) return <Loading when />;
  if (q.failure) return <Failure text={q.failure} />;
  const p = q.data?.individual;
  if (!p) return <Empty>未找到该公民身份号码的信用记录。</Empty>;
  return (
    <>
      <Section title={`自然人 ${p.name}`} id="basics">
        <FieldErrors errors={q.errors} />
        <dl class="pairs wide" data-testid="subject-basics">
          <dt>公民身份号码</dt><dd><code data-testid="id-number">{p.idNumber}</code></dd>
          <dt>姓名</dt><dd>{p.name}</dd>
          <dt>记录所在城市</dt><dd>{p.city.name}</dd>
          <dt>查询目的</dt><dd>{purpose}（已登记）</dd>
        </dl>
      </Section>
      <Section title="职业资格" id="qualifications">
        {p.professionalQualifications.length === 0 ? <Empty>无。</Empty> : (
          <Table head={["资格", "证书编号", "发证机关", "发证日期", "有效期至", "城市"]} rows={p.professionalQualifications.map((x) => [x.title, x.certificateNumber, x.issuedBy, x.issuedOn, x.validUntil ?? "长期", term(x.issuingCity.name)])} />
        )}
      </Section>
      <Section title="名单" id="lists"><ListEntries entries={p.listEntries} /></Section>
    </>
  );
}
