import type { PrismaClient } from "../store.js";
import { generateEnterprises, type GeneratedEnterprise } from "./generator.js";
import type { ListRules } from "../../subgraphs/lists/rules/index.js";
import { recognize, type RecognizeInput } from "../../subgraphs/lists/domain/recognition.js";
import { expireDue, transition } from "../../subgraphs/lists/domain/transitions.js";
import { advanceObjection, submitObjection } from "../../subgraphs/lists/domain/objections.js";
import { decideRepair, submitRepair, type RepairCommitments } from "../../subgraphs/lists/domain/repairs.js";
import { recordRepairCommitment, settleCommitment } from "../../subgraphs/measures/domain/commitments.js";
import { subjectKindOf } from "../../lib/ids/index.js";
import { recordInterview } from "../../subgraphs/lists/domain/interviews.js";
import type { Actor } from "../../subgraphs/lists/domain/entryTx.js";

/**
 * Demo lists for every partner city, made through the same domain functions as
 * the API (so history, outbox and periods are real): entries in every state,
 * an objection and a repair in progress, a market ban on a person, a red-list
 * entry. Subjects come from the deterministic enterprise generator, not from
 * the enterprise subgraph's tables.
 */
export async function seedListsDemo(prisma: PrismaClient, rules: ListRules, opts: { seed: number; enterprises: number; historyKey: string }): Promise<number> {
  const byCity = new Map<string, GeneratedEnterprise[]>();
  for (const g of generateEnterprises({ seed: opts.seed, enterprises: Math.min(opts.enterprises, 2000) })) {
    const list = byCity.get(g.enterprise.registeredCityCode) ?? [];
    if (list.length < 12) list.push(g);
    byCity.set(g.enterprise.registeredCityCode, list);
  }
  const cities = [...byCity.keys()];
  let made = 0;
  // The repairs' commitments go to the measures subgraph's records, through its own domain functions (no subgraph runs yet).
  const day = new Date().toISOString().slice(0, 10);
  const commitments: RepairCommitments = {
    file: async ({ city, sourceRef, ...c }) => (await recordRepairCommitment(prisma, { sub: `demo:${city}`, city }, { ...c, subjectKind: subjectKindOf(c.subject) ?? "ENTERPRISE" }, day, sourceRef)).id,
    withdraw: async (id, city) => void (await settleCommitment(prisma, { sub: `demo:${city}`, city }, id, "WITHDRAWN", day)),
  };
  for (const [city, firms] of byCity) {
    if (firms.length < 12) continue;
    const actor: Actor = { sub: `demo:${city}`, city, historyKey: opts.historyKey };
    const other: Actor = { sub: `demo:${cities.find((c) => c !== city)}`, city: cities.find((c) => c !== city)!, historyKey: opts.historyKey };
    let n = 0;
    const entry = async (g: GeneratedEnterprise, patch: Partial<RecognizeInput> = {}, decided = "2026-05-10") => {
      made++;
      return recognize(prisma, rules, actor, {
        subject: g.enterprise.uscc, listType: "SERIOUS_DISHONESTY", field: "市场监管", authority: "市场监督管理局", severity: "SERIOUS",
        basis: { type: "ADMINISTRATIVE_PENALTY", referenceNumber: `DEMO-${city}-${++n}`, decidedOn: decided },
        responsiblePersons: [{ idNumber: g.enterprise.legalRepresentativeId, role: "法定代表人" }], ...patch,
      });
    };
    const move = (id: number, ...states: Array<"PUBLISHED" | "UNDER_OBJECTION" | "RECTIFYING" | "EXITED" | "REVOKED">) =>
      states.reduce((p, s) => p.then(() => transition(prisma, actor, id, s, "示例数据").then(() => undefined)), Promise.resolve());
    const commitment = { text: "本单位承诺已纠正失信行为、消除不良影响，如有不实愿承担法律责任。", signatory: "法定代表人", signedOn: "2026-10-01" };

    await entry(firms[0]);
    await move((await entry(firms[1])).id, "PUBLISHED");
    await move((await entry(firms[2])).id, "PUBLISHED", "UNDER_OBJECTION");
    const rect = await entry(firms[3], { rectificationDue: "2026-09-30" });
    await move(rect.id, "PUBLISHED", "RECTIFYING");
    await recordInterview(prisma, actor, rect.id, "2026-08-15", "法定代表人", "约谈并要求限期整改");
    const repaired = await entry(firms[4], { severity: "GENERAL" }, "2024-01-10");
    await move(repaired.id, "PUBLISHED");
    const done = await submitRepair(prisma, rules, other, repaired.id, commitment, commitments);
    await decideRepair(prisma, actor, done.id, "ACCEPT", "受理");
    await decideRepair(prisma, actor, done.id, "CONFIRM", "修复完成");
    await move((await entry(firms[5])).id, "PUBLISHED", "EXITED");
    await entry(firms[6], {}, "2021-03-01"); // publicity ended in 2024: the sweep expires it
    await move((await entry(firms[7])).id, "REVOKED");
    const watched = await entry(firms[8], { listType: "KEY_ATTENTION", severity: "MINOR" });
    await move(watched.id, "PUBLISHED");
    const objection = await submitObjection(prisma, rules, other, watched.id, "企业", "认定事实有误");
    await advanceObjection(prisma, actor, objection.id, "ACCEPTED", "已受理，标注异议");
    const pending = await entry(firms[9], { severity: "GENERAL" }, "2024-02-20");
    await move(pending.id, "PUBLISHED");
    await submitRepair(prisma, rules, actor, pending.id, commitment, commitments);
    await entry(firms[10], { subject: firms[10].enterprise.legalRepresentativeId, listType: "MARKET_BAN", banScope: ["担任企业董事、监事、高级管理人员"], responsiblePersons: null });
    await entry(firms[11], { listType: "RED", severity: null, field: "纳税信用", authority: "税务局" });
  }
  await expireDue(prisma, opts.historyKey);
  return made;
}
