/**
 * The closed loop of joint reward and punishment (F26, F28): a city starts a case for a measure
 * of its catalogue on a subject (发起), and each department asked responds (响应), executes
 * (执行) and reports back (反馈), in that order, each step once, each step an event.
 */
import type { JointCase, JointCaseStep } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import { outboxWriter } from "../../../events/outboxWriter.js";
import { badInput, hubError } from "../../../lib/errors.js";
import { requireCity } from "../../../lib/cities.js";
import type { CatalogueRegistry } from "../catalogues/index.js";
import { CASE_STEPS, JointCaseStepTaken, measuresEvents } from "../events.js";
import type { Actor } from "./commitments.js";

const emit = outboxWriter(measuresEvents.outbox!);
type Step = (typeof CASE_STEPS)[number];

export interface OpenCaseInput {
  subject: string;
  subjectKind: "ENTERPRISE" | "INDIVIDUAL";
  measure: string;
  triggerKind: "LIST_ENTRY" | "RATING" | "COMMITMENT";
  triggerId: string;
  department: string;
  participants: Array<{ city: string; department: string }>;
  respondWithinDays: number;
}

/** 发起: the measure must be in the initiating city's catalogue in force today. */
export async function openCase(prisma: PrismaClient, catalogues: CatalogueRegistry, by: Actor, input: OpenCaseInput, today: string): Promise<JointCase> {
  const catalogue = catalogues.catalogueOn(by.city, today);
  if (!catalogue) throw hubError("FORBIDDEN", `city ${by.city} has no measure catalogue in force; register one before starting cases`);
  const measure = catalogue.measures.find((m) => m.code === input.measure);
  if (!measure) throw badInput("measure", "unknownMeasure", `'${input.measure}' is not in your catalogue v${catalogue.version} (${catalogue.measures.map((m) => m.code).join(", ")})`);
  if (!Number.isInteger(input.respondWithinDays) || input.respondWithinDays < 1 || input.respondWithinDays > 90) throw badInput("respondWithinDays", "range", `must be 1 to 90 days, got ${input.respondWithinDays}`);
  if (input.participants.length === 0) throw badInput("participants", "empty", "name at least one department to respond");
  const seen = new Set<string>();
  for (const p of input.participants) {
    requireCity(p.city, "participants.city");
    if (p.department.trim() === "") throw badInput("participants.department", "empty", "name the department");
    if (seen.has(`${p.city}|${p.department}`)) throw badInput("participants", "duplicate", `${p.city} ${p.department} is named twice`);
    seen.add(`${p.city}|${p.department}`);
  }
  const respondBy = new Date(Date.now() + input.respondWithinDays * 86_400_000);
  return prisma.$transaction(async (tx) => {
    const c = await tx.jointCase.create({
      data: {
        subjectKind: input.subjectKind, subjectId: input.subject, measureCode: measure.code, catalogueCity: catalogue.city, catalogueVersion: catalogue.version,
        triggerKind: input.triggerKind, triggerId: input.triggerId, initiatingCityCode: by.city, initiatingDepartment: input.department,
        participants: { create: input.participants.map((p) => ({ cityCode: p.city, department: p.department, respondBy })) },
      },
    });
    const step = await tx.jointCaseStep.create({ data: { caseId: c.id, step: "INITIATED", cityCode: by.city, department: input.department, note: `${measure.name}（${measure.code}）` } });
    await emit(tx, JointCaseStepTaken, c.id, by.city, { caseId: c.id, stepId: step.id, step: "INITIATED", measureCode: measure.code, department: input.department });
    return c;
  });
}

const BEFORE: Record<Exclude<Step, "INITIATED">, Step | null> = { RESPONDED: null, EXECUTED: "RESPONDED", FEEDBACK: "EXECUTED" };

/** 响应 → 执行 → 反馈 by a department the case asked, of the caller's city, in order and once each. */
export async function takeStep(prisma: PrismaClient, by: Actor, caseId: number, step: Exclude<Step, "INITIATED">, department: string, note: string): Promise<JointCaseStep> {
  return prisma.$transaction(async (tx) => {
    const c = await tx.jointCase.findUnique({ where: { id: caseId }, include: { participants: true, steps: true } });
    if (!c) throw hubError("NOT_FOUND", `no joint case ${caseId}`);
    if (!c.participants.some((p) => p.cityCode === by.city && p.department === department)) {
      throw hubError("FORBIDDEN", `case ${caseId} asked ${c.participants.map((p) => `${p.cityCode} ${p.department}`).join(", ")}; your token acts for ${by.city}, department '${department}' is not among them`);
    }
    const mine = c.steps.filter((s) => s.cityCode === by.city && s.department === department).map((s) => s.step);
    if (mine.includes(step)) throw hubError("INVALID_TRANSITION", `${department} already took step ${step} on case ${caseId}`, { from: mine.at(-1), to: step });
    const needed = BEFORE[step];
    if (needed && !mine.includes(needed)) throw hubError("INVALID_TRANSITION", `${step} comes after ${needed}; ${department} has taken ${mine.join(", ") || "no step"} on case ${caseId}`, { from: mine.at(-1) ?? null, to: step });
    const s = await tx.jointCaseStep.create({ data: { caseId, step, cityCode: by.city, department, note } });
    await emit(tx, JointCaseStepTaken, caseId, by.city, { caseId, stepId: s.id, step, measureCode: c.measureCode, department });
    return s;
  });
}

export interface Effectiveness { measureCode: string; cases: number; executed: number; feedback: number; averageDaysToExecute: number | null }

/** F28: per measure, cases started, cases executed by at least one department, feedback received, mean days from start to first execution. One statement. */
export async function effectiveness(prisma: PrismaClient, measureCodes: string[] | null): Promise<Effectiveness[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ measure_code: string; cases: bigint; executed: bigint; feedback: bigint; avg_days: number | null }>>(`
    SELECT c.measure_code, count(*) AS cases, count(x.first_exec) AS executed, count(f.case_id) AS feedback,
           avg(EXTRACT(EPOCH FROM (x.first_exec - c.opened_at)) / 86400)::float8 AS avg_days
    FROM measures.joint_case c
    LEFT JOIN (SELECT case_id, min(at) AS first_exec FROM measures.joint_case_step WHERE step = 'EXECUTED' GROUP BY case_id) x ON x.case_id = c.id
    LEFT JOIN (SELECT DISTINCT case_id FROM measures.joint_case_step WHERE step = 'FEEDBACK') f ON f.case_id = c.id
    WHERE $1::text[] IS NULL OR c.measure_code = ANY($1::text[])
    GROUP BY c.measure_code ORDER BY c.measure_code`, measureCodes);
  return rows.map((r) => ({ measureCode: r.measure_code, cases: Number(r.cases), executed: Number(r.executed), feedback: Number(r.feedback), averageDaysToExecute: r.avg_days === null ? null : Math.round(r.avg_days * 100) / 100 }));
}
