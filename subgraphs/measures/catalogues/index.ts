/**
 * The measure catalogues (三清单, F24): per member city and version, the list types it takes as
 * objects (对象清单), the measures (措施清单: family, punitive or incentive, the matters and the
 * triggers they answer, the legal basis) and the service items (服务事项清单). Data, not code:
 * one JSON file per city in this folder, the national memoranda's measures in national.json
 * (each city version names the national version it includes), the matters in matters.json.
 */
import { readdirSync, readFileSync } from "node:fs";
import { z } from "zod";
import { findCity } from "../../../lib/cities.js";
import { badInput } from "../../../lib/errors.js";
import { ANSWERING_ROLES } from "../../../lib/service/answerable.js";

/** The lists subgraph's list types (its contract; test/measures checks they still match). */
export const LIST_TYPES = ["SERIOUS_DISHONESTY", "INDUSTRY_BLACKLIST", "RED", "KEY_ATTENTION", "MARKET_BAN", "JUDGMENT_DEFAULTER", "FALSE_LITIGATION", "RECTIFICATION"] as const;
export const TIERS = ["LOW_RISK", "NORMAL", "HIGH_RISK"] as const;
/** 承诺类型: 告知承诺 (approval substitute), 容缺 (supplement later), 信用修复, 行业自律, 主动承诺. */
export const COMMITMENT_TYPES = ["APPROVAL_SUBSTITUTE", "SUPPLEMENT_LATER", "REPAIR", "INDUSTRY_SELF_DISCIPLINE", "VOLUNTARY"] as const;
/** The graph relations through which a measure on a person or a controller reaches an enterprise (F19, 防易地开张). */
export const REACH_ROLES = ANSWERING_ROLES;

export type ListTypeName = (typeof LIST_TYPES)[number];
export type TierName = (typeof TIERS)[number];
export type CommitmentType = (typeof COMMITMENT_TYPES)[number];
export type ReachRole = (typeof ANSWERING_ROLES)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const measureSchema = z.object({
  code: z.string().regex(/^[A-Z]{1,3}-[PI]-[A-Z]+$/),
  name: z.string().min(1),
  family: z.enum(["ADMINISTRATIVE", "MARKET", "INDUSTRY"]),
  kind: z.enum(["PUNITIVE", "INCENTIVE"]),
  matters: z.array(z.string()).min(1),
  triggers: z.object({
    listTypes: z.array(z.enum(LIST_TYPES)).optional(),
    tiers: z.array(z.enum(TIERS)).optional(),
    breachedCommitments: z.array(z.enum(COMMITMENT_TYPES)).optional(),
  }).refine((t) => (t.listTypes?.length ?? 0) + (t.tiers?.length ?? 0) + (t.breachedCommitments?.length ?? 0) > 0, "a measure needs a trigger"),
  /** Relations through which the measure also reaches enterprises the subject answers for or controls. */
  reach: z.array(z.enum(REACH_ROLES)),
  /** A measure a breach triggers lasts this long from the breach (others last as long as their record). */
  forMonths: z.number().int().positive().optional(),
  basis: z.string().min(1),
});
const versionSchema = z.object({
  version: z.number().int().positive(),
  validFrom: day,
  validTo: day.nullable(),
  national: z.number().int().positive(),
  objectLists: z.array(z.enum(LIST_TYPES)).min(1),
  measures: z.array(measureSchema),
  serviceItems: z.array(z.object({ code: z.string().min(1), name: z.string().min(1), matter: z.string(), department: z.string().min(1) })),
});
const cityFile = z.object({ about: z.string(), city: z.string().regex(/^\d{6}$/), versions: z.array(versionSchema).min(1) });
const nationalFile = z.object({ about: z.string(), version: z.number().int().positive(), validFrom: day, measures: z.array(measureSchema).min(1) });
const mattersFile = z.object({ about: z.string(), matters: z.array(z.object({ code: z.string().regex(/^[a-z-]+$/), name: z.string().min(1) })).min(1) });

export type Measure = z.infer<typeof measureSchema> & { national: boolean };
export type ServiceItem = z.infer<typeof versionSchema>["serviceItems"][number];
export interface Catalogue {
  city: string;
  version: number;
  validFrom: string;
  validTo: string | null;
  nationalVersion: number;
  objectLists: ListTypeName[];
  /** The national measures it includes, then its own. */
  measures: Measure[];
  serviceItems: ServiceItem[];
}
export interface Matter { code: string; name: string }

export interface CatalogueRegistry {
  catalogues: readonly Catalogue[];
  matters: readonly Matter[];
  /** The city's version in force on `date`, if it has one. */
  catalogueOn(city: string, date: string): Catalogue | undefined;
  /** BAD_USER_INPUT listing the known matters when `code` is not one. */
  requireMatter(code: string, field: string): Matter;
}

function read<T>(schema: z.ZodType<T>, dir: URL, name: string): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(new URL(name, dir), "utf8")));
  if (!parsed.success) throw new Error(`measure catalogue ${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** Reads and checks every file: a bad file stops the start, naming the file and the fault. */
export function loadCatalogues(dir: URL = new URL("./", import.meta.url)): CatalogueRegistry {
  const matters = read(mattersFile, dir, "matters.json").matters;
  const national = read(nationalFile, dir, "national.json");
  const known = new Set(matters.map((m) => m.code));
  const catalogues: Catalogue[] = [];
  for (const name of readdirSync(dir).filter((f) => /^\d{6}\.json$/.test(f)).sort()) {
    const f = read(cityFile, dir, name);
    if (!findCity(f.city) || `${f.city}.json` !== name) throw new Error(`measure catalogue ${name}: ${f.city} is not a partner city or not this file's`);
    for (const v of f.versions) {
      if (v.national !== national.version) throw new Error(`measure catalogue ${name} v${v.version}: includes national v${v.national}, the repository holds v${national.version}`);
      const measures = [...national.measures.map((m) => ({ ...m, national: true })), ...v.measures.map((m) => ({ ...m, national: false }))];
      const codes = new Set<string>();
      for (const m of measures) {
        if (codes.has(m.code)) throw new Error(`measure catalogue ${name} v${v.version}: measure ${m.code} twice`);
        codes.add(m.code);
        const unknown = m.matters.find((x) => !known.has(x));
        if (unknown) throw new Error(`measure catalogue ${name} v${v.version}: measure ${m.code} names unknown matter '${unknown}'`);
      }
      const badItem = v.serviceItems.find((s) => !known.has(s.matter));
      if (badItem) throw new Error(`measure catalogue ${name} v${v.version}: service item ${badItem.code} names unknown matter '${badItem.matter}'`);
      catalogues.push({ city: f.city, version: v.version, validFrom: v.validFrom, validTo: v.validTo, nationalVersion: v.national, objectLists: v.objectLists, measures, serviceItems: v.serviceItems });
    }
    const mine = catalogues.filter((c) => c.city === f.city).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (let i = 1; i < mine.length; i++) {
      if (mine[i - 1].validTo !== mine[i].validFrom) throw new Error(`measure catalogue ${name}: v${mine[i - 1].version} must end where v${mine[i].version} starts`);
    }
  }
  return {
    catalogues,
    matters,
    catalogueOn: (city, date) => catalogues.find((c) => c.city === city && c.validFrom <= date && (c.validTo === null || date < c.validTo)),
    requireMatter(code, field) {
      const m = matters.find((x) => x.code === code);
      if (!m) throw badInput(field, "unknownMatter", `'${code}' is not a matter of the catalogues; known matters: ${matters.map((x) => `${x.code} (${x.name})`).join(", ")}`);
      return m;
    },
  };
}
