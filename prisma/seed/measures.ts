import type { PrismaClient } from "../store.js";
import { today as todayOf } from "../../lib/dates.js";
import { generateEnterprises } from "./generator.js";
import type { CatalogueRegistry } from "../../subgraphs/measures/catalogues/index.js";
import { recordCommitment, settleCommitment, sweepBreaches, type CommitmentInput } from "../../subgraphs/measures/domain/commitments.js";
import { openCase, takeStep } from "../../subgraphs/measures/domain/cases.js";

const daysFrom = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Demo commitments and joint cases, made through the measures subgraph's own domain functions
 * (so states, breach records and events are real): each city's last six enterprises hold a
 * commitment in every state (a 容缺 one past its date is breached by the sweep), and each city
 * starts joint cases on black-list entries, at every step, one of them overdue.
 */
export async function seedMeasuresDemo(prisma: PrismaClient, catalogues: CatalogueRegistry, opts: { seed: number; enterprises: number }): Promise<{ commitments: number; cases: number }> {
  const day = todayOf();
  const byCity = new Map<string, string[]>();
  for (const g of generateEnterprises({ seed: opts.seed, enterprises: Math.min(opts.enterprises, 2000) })) {
    const list = byCity.get(g.enterprise.registeredCityCode) ?? [];
    list.push(g.enterprise.uscc);
    byCity.set(g.enterprise.registeredCityCode, list);
  }
  let commitments = 0;
  let cases = 0;
  for (const [city, all] of byCity) {
    const firms = all.slice(-6);
    const by = { sub: `demo:${city}`, city };
    const base = (subject: string, type: CommitmentInput["type"], matter: string, text: string): CommitmentInput => ({
      subject, subjectKind: "ENTERPRISE", type, matter, text, signatory: "法定代表人", signedOn: daysFrom(day, -60), authority: "市行政审批服务局", published: true,
    });
    const made = [
      firms[0] && await recordCommitment(prisma, by, base(firms[0], "APPROVAL_SUBSTITUTE", "approval", "本单位承诺所填报信息真实有效，符合审批条件，如有不实愿承担相应责任。"), day),
      firms[1] && await recordCommitment(prisma, by, { ...base(firms[1], "SUPPLEMENT_LATER", "approval", "本单位承诺在规定期限内补齐环评批复文件。"), dueOn: daysFrom(day, -30) }, day),
      firms[2] && await recordCommitment(prisma, by, { ...base(firms[2], "SUPPLEMENT_LATER", "qualification", "本单位承诺在规定期限内补齐安全生产许可材料。"), dueOn: daysFrom(day, 30) }, day),
      firms[3] && await recordCommitment(prisma, by, base(firms[3], "INDUSTRY_SELF_DISCIPLINE", "honours", "本企业承诺遵守行业自律公约，诚信经营。"), day),
      firms[4] && await recordCommitment(prisma, by, { ...base(firms[4], "VOLUNTARY", "financing", "本企业自愿公开信用承诺，接受社会监督。"), published: false }, day),
    ].filter((c) => !!c);
    commitments += made.length;
    if (made[3]) await settleCommitment(prisma, by, made[3].id, "FULFILLED", day);
    if (made[4]) await settleCommitment(prisma, by, made[4].id, "WITHDRAWN", day);
  }
  // Each city starts five cases on black-list entries of any city (they are recognised across the
  // region), with five national measures: case i has taken the first i steps, the last one also
  // has a partner that did not respond in time (its date moved back).
  const entries = await prisma.listEntry.findMany({ where: { listType: "SERIOUS_DISHONESTY", state: { in: ["RECOGNISED", "PUBLISHED", "RECTIFYING"] }, subjectKind: "ENTERPRISE" }, orderBy: { id: "asc" } });
  const measures = ["N-P-TENDER", "N-P-PROCURE", "N-P-SUBSIDY", "N-P-CREDIT", "N-P-HONOURS"];
  const steps = ["RESPONDED", "EXECUTED", "FEEDBACK"] as const;
  const cities = [...byCity.keys()];
  for (const [k, city] of (entries.length ? cities : []).entries()) {
    const by = { sub: `demo:${city}`, city };
    const partner = cities[(k + 1) % cities.length];
    for (let i = 0; i < 5; i++) {
      const e = entries[(k * 5 + i) % entries.length];
      const c = await openCase(prisma, catalogues, by, {
        subject: e.subjectId, subjectKind: "ENTERPRISE", measure: measures[i], triggerKind: "LIST_ENTRY", triggerId: String(e.id), department: "市发展改革委（信用办）",
        participants: [{ city, department: "市公共资源交易中心" }, { city: partner, department: "市公共资源交易中心" }], respondWithinDays: 5,
      }, day);
      cases++;
      for (const step of steps.slice(0, Math.min(i, 3))) await takeStep(prisma, by, c.id, step, "市公共资源交易中心", `${step}：已按措施清单执行`);
      if (i === 4) await prisma.jointCaseParticipant.updateMany({ where: { caseId: c.id, cityCode: partner }, data: { respondBy: new Date(Date.now() - 86_400_000) } });
    }
  }
  await sweepBreaches(prisma, day);
  return { commitments, cases };
}
