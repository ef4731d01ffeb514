import type { PrismaClient } from "../../prisma/store.js";
import type { Individual, ProfessionalQualification } from "../../prisma/generated/client.js";

export type { Individual, ProfessionalQualification };

export function individualsById(prisma: PrismaClient, ids: readonly string[]): Promise<Individual[]> {
  return prisma.individual.findMany({ where: { idNumber: { in: [...ids] } } });
}

export function qualificationsOf(prisma: PrismaClient, ids: readonly string[]): Promise<ProfessionalQualification[]> {
  return prisma.professionalQualification.findMany({ where: { idNumber: { in: [...ids] } }, orderBy: [{ issuedOn: "desc" }, { id: "desc" }] });
}
