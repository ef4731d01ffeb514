/**
 * 报告核验 (F39): is the report what its issuer signed, with a key of the issuer in force and
 * not revoked, and has the subject's status changed since?
 */
import type { CreditReport, ReportSigningKey } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import { badInput } from "../../../lib/errors.js";
import { verifyContent } from "./keys.js";
import { gatherSections, sha256Hex, type ReportContent } from "./snapshot.js";
import { statusChanges, type StatusChange } from "./changes.js";
import type { ReportServices } from "./services.js";
import type { Section } from "../templates/index.js";

export type ProblemCode = "HASH_MISMATCH" | "CONTENT_ALTERED" | "KEY_UNKNOWN" | "KEY_NOT_ISSUERS" | "KEY_REVOKED" | "KEY_NOT_VALID_AT_ISSUE" | "SIGNATURE_INVALID";

export interface Verification {
  report: CreditReport;
  authentic: boolean;
  problems: Array<{ code: ProblemCode; message: string }>;
  key: ReportSigningKey | null;
  expired: boolean;
  statusChanged: boolean;
  changes: StatusChange[];
  checkedAt: Date;
}

/** The edge check of a presented hash: SHA-256 as 64 hex digits. */
export function requireHash(hash: string): string {
  const h = hash.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(h)) throw badInput("hash", "format", `give the report's SHA-256 as 64 hexadecimal digits, got ${hash.length} characters`);
  return h;
}

function parseContent(text: string): ReportContent | null {
  try {
    const c = JSON.parse(text) as ReportContent;
    return c && typeof c === "object" && c.sections && c.issuingCity && typeof c.keyId === "string" ? c : null;
  } catch {
    return null;
  }
}

/** Everything wrong with the report's authenticity (empty: authentic). */
export function authenticity(report: CreditReport, presentedHash: string, key: ReportSigningKey | null, content: ReportContent | null): Verification["problems"] {
  const problems: Verification["problems"] = [];
  if (presentedHash !== report.hash) problems.push({ code: "HASH_MISMATCH", message: "the hash presented is not the hash the issuer signed: the copy differs from the report" });
  if (sha256Hex(report.content) !== report.hash || !content || content.keyId !== report.keyId || content.code !== report.code || content.issuingCity.code !== report.issuingCityCode || content.subject.uscc !== report.subjectId) {
    problems.push({ code: "CONTENT_ALTERED", message: "the stored report no longer matches its signed content" });
  }
  if (!key) {
    problems.push({ code: "KEY_UNKNOWN", message: `no published signing key '${report.keyId}'` });
    return problems;
  }
  if (key.cityCode !== report.issuingCityCode) problems.push({ code: "KEY_NOT_ISSUERS", message: `key ${key.keyId} belongs to city ${key.cityCode}, not to the issuing city ${report.issuingCityCode}` });
  if (key.revokedAt) problems.push({ code: "KEY_REVOKED", message: `key ${key.keyId} was revoked on ${key.revokedAt.toISOString()}${key.revocationReason ? ` (${key.revocationReason})` : ""}: nothing it signed is trusted` });
  else if (report.issuedAt < key.validFrom || (key.validTo && report.issuedAt > key.validTo)) problems.push({ code: "KEY_NOT_VALID_AT_ISSUE", message: `key ${key.keyId} was not in force at ${report.issuedAt.toISOString()}` });
  if (!verifyContent(report.content, report.signature, key.publicKey)) problems.push({ code: "SIGNATURE_INVALID", message: `the signature was not made with key ${key.keyId} over this content` });
  return problems;
}

export async function verifyReport(prisma: PrismaClient, services: ReportServices, report: CreditReport, presentedHash: string, now = new Date()): Promise<Verification> {
  const content = parseContent(report.content);
  const key = await prisma.reportSigningKey.findUnique({ where: { keyId: report.keyId } });
  const problems = authenticity(report, presentedHash, key, content);
  let changes: StatusChange[] = [];
  if (content) {
    const shown = Object.keys(content.sections) as Section[];
    const current = await gatherSections(services.sources, report.subjectId, report.issuingCityCode, shown);
    changes = statusChanges(content.sections, current.sections);
  }
  return {
    report, authentic: problems.length === 0, problems, key, expired: report.validUntil.toISOString().slice(0, 10) < now.toISOString().slice(0, 10),
    statusChanged: changes.length > 0, changes, checkedAt: now,
  };
}
