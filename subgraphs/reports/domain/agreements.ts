/**
 * Recognition agreements between city pairs (互认协议, F40): data in ../agreements.json, each
 * covering both directions between its two cities for the templates and uses it names.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { findCity } from "../../../lib/cities.js";
import { USES, type Use } from "../templates/index.js";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const agreementSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  cities: z.tuple([z.string().regex(/^\d{6}$/), z.string().regex(/^\d{6}$/)]),
  templates: z.array(z.string()).min(1),
  uses: z.array(z.enum(USES)).min(1),
  validFrom: day,
  validTo: day.nullable(),
});
export type Agreement = z.infer<typeof agreementSchema>;

export interface AgreementRegistry {
  agreements: Agreement[];
  /** Those in force on `day` between the two cities (either direction). */
  between(a: string, b: string, day: string): Agreement[];
  /** The agreement covering a recognition, or null. */
  covering(issuingCity: string, recognisingCity: string, template: string, use: Use, day: string): Agreement | null;
}

export function loadAgreements(file: URL = new URL("../agreements.json", import.meta.url), templateIds: readonly string[] = []): AgreementRegistry {
  const parsed = z.object({ agreements: z.array(agreementSchema) }).safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`recognition agreements: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const agreements = parsed.data.agreements;
  for (const a of agreements) {
    for (const c of a.cities) if (!findCity(c)) throw new Error(`recognition agreement ${a.id}: ${c} is not a partner city`);
    if (a.cities[0] === a.cities[1]) throw new Error(`recognition agreement ${a.id}: a city needs no agreement with itself`);
    for (const t of a.templates) if (templateIds.length && !templateIds.includes(t)) throw new Error(`recognition agreement ${a.id}: no report template '${t}'`);
  }
  const between = (x: string, y: string, d: string) =>
    agreements.filter((a) => a.cities.includes(x) && a.cities.includes(y) && a.validFrom <= d && (a.validTo === null || d <= a.validTo));
  return {
    agreements,
    between,
    covering: (issuing, recognising, template, use, d) => between(issuing, recognising, d).find((a) => a.templates.includes(template) && a.uses.includes(use)) ?? null,
  };
}
