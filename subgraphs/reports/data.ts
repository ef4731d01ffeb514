import type { CreditReport, ReportRecognition, ReportSigningKey } from "../../prisma/generated/client.js";
import type { PrismaClient } from "../../prisma/store.js";

export type { CreditReport, ReportRecognition, ReportSigningKey };

export function reportsById(prisma: PrismaClient, ids: readonly number[]): Promise<CreditReport[]> {
  return prisma.creditReport.findMany({ where: { id: { in: [...ids] } } });
}

export function reportByCode(prisma: PrismaClient, code: string): Promise<CreditReport | null> {
  return prisma.creditReport.findUnique({ where: { code } });
}

export function recognitionsById(prisma: PrismaClient, ids: readonly number[]): Promise<ReportRecognition[]> {
  return prisma.reportRecognition.findMany({ where: { id: { in: [...ids] } } });
}

export function recognitionsOfReports(prisma: PrismaClient, reportIds: readonly number[]): Promise<ReportRecognition[]> {
  return prisma.reportRecognition.findMany({ where: { reportId: { in: [...reportIds] } }, orderBy: { id: "desc" } });
}

export function keysById(prisma: PrismaClient, keyIds: readonly string[]): Promise<ReportSigningKey[]> {
  return prisma.reportSigningKey.findMany({ where: { keyId: { in: [...keyIds] } } });
}

/** Every key of the cities (all when none given), newest first per city: what verifiers need. */
export function signingKeys(prisma: PrismaClient, cities: readonly string[]): Promise<ReportSigningKey[]> {
  return prisma.reportSigningKey.findMany({ where: cities.length ? { cityCode: { in: [...cities] } } : {}, orderBy: [{ cityCode: "asc" }, { validFrom: "desc" }] });
}

/** Decisions a city took or that were taken on its reports, newest first, before the cursor id. */
export function recognitionPage(prisma: PrismaClient, city: string, reportId: number | undefined, take: number, before?: number): Promise<ReportRecognition[]> {
  return prisma.reportRecognition.findMany({
    where: { OR: [{ recognisingCityCode: city }, { issuingCityCode: city }], reportId, id: before === undefined ? undefined : { lt: before } },
    orderBy: { id: "desc" },
    take,
  });
}
