import type { CommitmentBreach, CreditCommitment, JointCase, JointCaseParticipant, JointCaseStep } from "../../prisma/generated/client.js";
import type { PrismaClient } from "../../prisma/store.js";

export type { CommitmentBreach, CreditCommitment, JointCase, JointCaseParticipant, JointCaseStep };

export function commitmentsById(prisma: PrismaClient, ids: readonly number[]): Promise<CreditCommitment[]> {
  return prisma.creditCommitment.findMany({ where: { id: { in: [...ids] } } });
}

/** Every commitment of the subjects, newest first. */
export function commitmentsOfSubjects(prisma: PrismaClient, subjects: readonly string[]): Promise<CreditCommitment[]> {
  return prisma.creditCommitment.findMany({ where: { subjectId: { in: [...subjects] } }, orderBy: [{ signedOn: "desc" }, { id: "desc" }] });
}

export function breachesOf(prisma: PrismaClient, commitmentIds: readonly number[]): Promise<CommitmentBreach[]> {
  return prisma.commitmentBreach.findMany({ where: { commitmentId: { in: [...commitmentIds] } } });
}

export function casesById(prisma: PrismaClient, ids: readonly number[]): Promise<JointCase[]> {
  return prisma.jointCase.findMany({ where: { id: { in: [...ids] } } });
}

export function participantsOf(prisma: PrismaClient, caseIds: readonly number[]): Promise<JointCaseParticipant[]> {
  return prisma.jointCaseParticipant.findMany({ where: { caseId: { in: [...caseIds] } }, orderBy: [{ cityCode: "asc" }, { department: "asc" }] });
}

export function stepsOf(prisma: PrismaClient, caseIds: readonly number[]): Promise<JointCaseStep[]> {
  return prisma.jointCaseStep.findMany({ where: { caseId: { in: [...caseIds] } }, orderBy: { id: "asc" } });
}

/**
 * Ids of a page of cases, newest first, before the cursor; overdue: a department asked has not
 * responded (no RESPONDED step of its own) by its date.
 */
export async function casePage(prisma: PrismaClient, f: { subject: string | null; overdueOnly: boolean }, take: number, before: number | null): Promise<number[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ id: number }>>(`
    SELECT c.id FROM measures.joint_case c
    WHERE ($1::text IS NULL OR c.subject_id = $1::text) AND ($2::int IS NULL OR c.id < $2::int)
      AND (NOT $3::boolean OR EXISTS (
        SELECT 1 FROM measures.joint_case_participant p
        WHERE p.case_id = c.id AND p.respond_by < now() AND NOT EXISTS (
          SELECT 1 FROM measures.joint_case_step s WHERE s.case_id = c.id AND s.city_code = p.city_code AND s.department = p.department AND s.step = 'RESPONDED')))
    ORDER BY c.id DESC LIMIT $4::int`, f.subject, before, f.overdueOnly, take);
  return rows.map((r) => Number(r.id));
}
