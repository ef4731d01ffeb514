/** 出具信用报告 (F38): the snapshot assembled through the contracts, signed by the issuing city's key, stored with its event. */
import { randomBytes, randomUUID } from "node:crypto";
import type { z } from "zod";
import type { CreditReport, Prisma } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import type { EventContract } from "../../../events/contract.js";
import { badInput, hubError } from "../../../lib/errors.js";
import { cityOf } from "../../../lib/cities.js";
import { dateOf, today } from "../../../lib/dates.js";
import { ReportIssued } from "../events.js";
import { ReportKeyRing, signContent } from "./keys.js";
import { canonicalJson, gatherSections, REPORT_FORMAT, sha256Hex, type ReportContent } from "./snapshot.js";
import type { ReportServices } from "./services.js";

export async function emit<P extends z.ZodType>(tx: Prisma.TransactionClient, event: EventContract<P>, entryId: number, cityCode: string, payload: z.input<P>): Promise<void> {
  const checked = event.payload.parse(payload) as Prisma.InputJsonValue;
  await tx.reportsOutbox.create({ data: { eventId: randomUUID(), type: event.type, entryId, cityCode, payload: checked } });
}

/** Crockford base32 without I, L, O, U: read aloud or typed from paper without confusion. */
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A short code for the public verification page: 12 characters, 60 random bits. */
export function newReportCode(): string {
  return [...randomBytes(12)].map((b) => CODE_ALPHABET[b & 31]).join("");
}

export interface IssueInput { subject: string; template?: string | null; purpose: string }

export async function issueReport(prisma: PrismaClient, services: ReportServices, by: { sub: string; city: string }, input: IssueInput, now = new Date()): Promise<CreditReport> {
  const template = services.templates.require(input.template);
  const purpose = input.purpose.trim();
  if (purpose.length === 0 || purpose.length > 200) throw badInput("purpose", "length", "state the purpose in 1 to 200 characters");
  const { sections, name } = await gatherSections(services.sources, input.subject, by.city, template.sections);
  if (name === null) throw hubError("NOT_FOUND", `no enterprise with USCC ${input.subject} in the hub's records`);
  const key = await new ReportKeyRing(prisma, services.keysDir).current(by.city, now);
  const validUntil = today(new Date(now.getTime() + template.validityDays * 86_400_000));
  const content: ReportContent = {
    format: REPORT_FORMAT,
    code: newReportCode(),
    subject: { kind: "ENTERPRISE", uscc: input.subject, name },
    template: { id: template.id, version: template.version, title: template.title },
    purpose,
    issuingCity: { code: by.city, name: cityOf(by.city).name },
    issuedAt: now.toISOString(),
    validUntil,
    keyId: key.keyId,
    sections,
  };
  const text = canonicalJson(content);
  const hash = sha256Hex(text);
  const signature = signContent(text, key.privateKey);
  return prisma.$transaction(async (tx) => {
    const report = await tx.creditReport.create({
      data: {
        code: content.code, subjectId: input.subject, template: template.id, purpose, issuingCityCode: by.city, issuedBy: by.sub,
        issuedAt: now, validUntil: dateOf(validUntil), content: text, hash, keyId: key.keyId, signature,
      },
    });
    await emit(tx, ReportIssued, report.id, by.city, { reportId: report.id, subject: input.subject, template: template.id, issuingCity: by.city, hash });
    return report;
  });
}
