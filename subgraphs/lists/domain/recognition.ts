import type { PrismaClient } from "../../../prisma/store.js";
import type { ListType, Severity, BasisType, ListEntry } from "../../../prisma/generated/client.js";
import { requireIdNumber, requireSubjectId } from "../../../lib/ids/index.js";
import { badInput } from "../../../lib/errors.js";
import { periodsFor, type ListRules } from "../rules/index.js";
import { LIST_TYPES } from "./listTypes.js";
import { appendHistory } from "./history.js";
import { recordEvent } from "./outbox.js";
import { ListEntryChanged } from "../events.js";
import type { Actor, Tx } from "./entryTx.js";

export interface RecognizeInput {
  subject: string;
  listType: ListType;
  field: string;
  authority: string;
  basis: { type: BasisType; referenceNumber: string; decidedOn: string };
  severity?: Severity | null;
  banStartsOn?: string | null;
  banEndsOn?: string | null;
  banScope?: string[] | null;
  rectificationDue?: string | null;
  responsiblePersons?: Array<{ idNumber: string; role: string }> | null;
}

/** 责任人 of an enterprise as the enterprise records know them (F19). */
/** Who answered for an enterprise on a date (YYYY-MM-DD): their ID numbers and roles. */
export type ResponsiblePersonsLookup = (uscc: string, onDate: string) => Promise<Array<{ idNumber: string; role: string }>>;

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/** Subject identifiers are checked at the edge: a USCC or a resident ID number. */
export function subjectOf(raw: string, field = "subject"): { kind: "ENTERPRISE" | "INDIVIDUAL"; id: string } {
  if (raw.trim().length !== 18) throw badInput(field, "length", `must be an 18-character USCC or ID number, got ${raw.trim().length} characters`);
  return requireSubjectId(raw, field);
}

/** The columns of a new entry that follow from the input and the versioned rules. */
function entryData(input: RecognizeInput, rules: ListRules, actor: Actor, today: Date) {
  if (!input.basis.referenceNumber.trim()) throw badInput("input.basis.referenceNumber", "required", "recognition needs the basis document's reference number (认定依据)");
  const decidedOn = day(input.basis.decidedOn);
  if (decidedOn > today) throw badInput("input.basis.decidedOn", "future", "the basis decision cannot be dated in the future");
  const punitive = input.listType !== "RED";
  if (punitive && !input.severity) throw badInput("input.severity", "required", "state the severity (MINOR 轻微 / GENERAL 一般 / SERIOUS 严重): the publicity period depends on it");
  const periods = punitive && input.severity ? periodsFor(rules, decidedOn, input.severity) : null;
  const isBan = input.listType === "MARKET_BAN";
  const banStartsOn = isBan ? day(input.banStartsOn ?? input.basis.decidedOn) : null;
  const banEndsOn = isBan && input.banEndsOn ? day(input.banEndsOn) : null;
  if (banStartsOn && banEndsOn && banEndsOn <= banStartsOn) throw badInput("input.banEndsOn", "order", "a ban must end after it starts");
  return {
    listType: input.listType, field: input.field.trim(), authority: input.authority.trim(), issuingCityCode: actor.city,
    basisType: input.basis.type, basisNumber: input.basis.referenceNumber.trim(), basisDate: decidedOn,
    severity: input.severity ?? null, state: "RECOGNISED" as const,
    publicityUntil: periods?.publicityUntil ?? null, earliestRepairOn: periods?.earliestRepairOn ?? null, ruleVersion: periods?.ruleVersion ?? null,
    banStartsOn, banEndsOn: isBan ? banEndsOn : null, banScope: isBan ? input.banScope ?? [] : [],
    rectificationDue: input.rectificationDue ? day(input.rectificationDue) : null,
  };
}

async function created(tx: Tx, entry: ListEntry, actor: Actor, reason: string): Promise<void> {
  await appendHistory(tx, { entryId: entry.id, action: "RECOGNISED", fromState: null, toState: "RECOGNISED", actorSub: actor.sub, actorCity: actor.city, reason }, actor.historyKey);
  await recordEvent(tx, ListEntryChanged, entry.id, entry.issuingCityCode, { id: entry.id, from: null, to: "RECOGNISED", listType: entry.listType, subject: entry.subjectId, subjectKind: entry.subjectKind });
}

/**
 * 认定: creates the entry with its periods from the rules and, for an enterprise
 * listed for joint punishment, linked entries for its responsible persons — all
 * in one transaction.
 */
export async function recognize(prisma: PrismaClient, rules: ListRules, actor: Actor, input: RecognizeInput, lookup?: ResponsiblePersonsLookup): Promise<ListEntry> {
  const subject = subjectOf(input.subject, "input.subject");
  const data = entryData(input, rules, actor, new Date());
  const persons = subject.kind === "ENTERPRISE" && LIST_TYPES[input.listType].jointPunishment
    ? (input.responsiblePersons ?? (lookup ? await lookup(subject.id, input.basis.decidedOn) : [])).map((p) => ({ idNumber: requireIdNumber(p.idNumber, "input.responsiblePersons.idNumber"), role: p.role }))
    : [];
  const existing = await prisma.listEntry.findFirst({ where: { issuingCityCode: actor.city, listType: input.listType, basisNumber: data.basisNumber, subjectId: subject.id } });
  if (existing) throw badInput("input.basis.referenceNumber", "duplicate", `entry ${existing.id} already lists this subject on this basis`);
  return prisma.$transaction(async (tx) => {
    const entry = await tx.listEntry.create({ data: { ...data, subjectKind: subject.kind, subjectId: subject.id } });
    await created(tx, entry, actor, `recognised on ${data.basisType} ${data.basisNumber}`);
    for (const p of persons) {
      const linked = await tx.listEntry.create({ data: { ...data, subjectKind: "INDIVIDUAL", subjectId: p.idNumber, linkedEntryId: entry.id, responsibleRole: p.role } });
      await created(tx, linked, actor, `responsibility of the ${p.role} for enterprise entry ${entry.id}`);
    }
    return entry;
  });
}
