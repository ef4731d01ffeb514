/**
 * The grade-scale registry (F35): each member city's scales and its inspection rules, one
 * versioned JSON file per city in this folder. No scale is in code: a city's new scale, or a
 * new version of one, is a new entry in its file.
 */
import { readdirSync, readFileSync } from "node:fs";
import { z } from "zod";
import { findCity } from "../../../lib/cities.js";
import { badInput, hubError } from "../../../lib/errors.js";

export const TIERS = ["LOW_RISK", "NORMAL", "HIGH_RISK"] as const;
export type Tier = (typeof TIERS)[number];
export const EVALUATOR_TYPES = ["PUBLIC_COMPREHENSIVE", "INDUSTRY", "THIRD_PARTY", "MARKET", "ENVIRONMENTAL"] as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const scaleSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  validFrom: day,
  validTo: day.nullable(),
  title: z.string().min(1),
  evaluatorType: z.enum(EVALUATOR_TYPES),
  /** The field a field-specific scale rates in; null for a general one. */
  field: z.string().min(1).nullable(),
  /** The score range of the scale's model, null when it gives grades only. */
  score: z.object({ min: z.number(), max: z.number() }).nullable(),
  grades: z.array(z.object({ label: z.string().min(1), tier: z.enum(TIERS) })).min(2),
});
const rule = z.object({ ratio: z.number().min(0).max(1), frequency: z.string().min(1) });
const fileSchema = z.object({
  about: z.string(),
  city: z.string().regex(/^\d{6}$/),
  scales: z.array(scaleSchema).min(1),
  inspection: z.object({ version: z.number().int().positive(), validFrom: day, tiers: z.object({ LOW_RISK: rule, NORMAL: rule, HIGH_RISK: rule }) }),
});

export type GradeScale = z.infer<typeof scaleSchema> & { city: string };
export type InspectionRule = z.infer<typeof rule> & { city: string; tier: Tier; version: number };

/** The most severe first: a subject's tier is the most severe its ratings in force give. */
export const SEVERITY: Record<Tier, number> = { LOW_RISK: 0, NORMAL: 1, HIGH_RISK: 2 };

export interface ScaleRegistry {
  /** Every version of every scale, by city. */
  scales: readonly GradeScale[];
  /** Fields any scale rates in (安全生产, 税务...), for the directory. */
  fields: readonly string[];
  /** The version of scale `id` in force on `date` (YYYY-MM-DD); BAD_USER_INPUT when there is none. */
  scaleOn(id: string, date: string): GradeScale;
  /** The grade's tier on the scale; BAD_USER_INPUT naming the scale and its grades otherwise. */
  tierOf(scale: GradeScale, grade: string): Tier;
  /** The city's inspection rule for a tier (its ratio and frequency). */
  inspection(city: string, tier: Tier): InspectionRule;
}

/** Reads and checks every city's file: a bad file stops the start, naming the file and the fault. */
export function loadScales(dir: URL = new URL("./", import.meta.url)): ScaleRegistry {
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  const scales: GradeScale[] = [];
  const inspections = new Map<string, z.infer<typeof fileSchema>["inspection"]>();
  for (const name of files) {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(new URL(name, dir), "utf8")));
    if (!parsed.success) throw new Error(`grade scales ${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const f = parsed.data;
    if (!findCity(f.city)) throw new Error(`grade scales ${name}: ${f.city} is not a partner city`);
    if (inspections.has(f.city)) throw new Error(`grade scales ${name}: a second file for city ${f.city}`);
    inspections.set(f.city, f.inspection);
    for (const s of f.scales) {
      if (new Set(s.grades.map((g) => g.label)).size !== s.grades.length) throw new Error(`grade scales ${name}: scale ${s.id} v${s.version} repeats a grade`);
      if (scales.some((o) => o.id === s.id && (o.city !== f.city || o.version === s.version))) throw new Error(`grade scales ${name}: scale ${s.id} v${s.version} is defined twice`);
      scales.push({ ...s, city: f.city });
    }
  }
  const fields = [...new Set(scales.map((s) => s.field).filter((f): f is string => f !== null))].sort();
  return {
    scales,
    fields,
    scaleOn(id, date) {
      const versions = scales.filter((s) => s.id === id);
      if (versions.length === 0) throw badInput("scale", "unknownScale", `no grade scale '${id}' (known: ${[...new Set(scales.map((s) => s.id))].join(", ")})`);
      const v = versions.find((s) => s.validFrom <= date && (s.validTo === null || date < s.validTo));
      if (!v) throw badInput("ratedOn", "noScaleVersion", `scale ${id} has no version in force on ${date} (versions: ${versions.map((s) => `v${s.version} from ${s.validFrom}`).join(", ")})`);
      return v;
    },
    tierOf(scale, grade) {
      const g = scale.grades.find((x) => x.label === grade);
      if (!g) throw badInput("grade", "notOnScale", `'${grade}' is not a grade of scale ${scale.id} v${scale.version} (${scale.title}): ${scale.grades.map((x) => x.label).join(", ")}`);
      return g.tier;
    },
    inspection(city, tier) {
      const i = inspections.get(city);
      if (!i) throw hubError("NOT_FOUND", `city ${city} has registered no inspection rules`);
      return { ...i.tiers[tier], city, tier, version: i.version };
    },
  };
}
