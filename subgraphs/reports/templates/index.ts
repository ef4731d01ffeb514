/**
 * Report templates (F38): which sections a report shows and which uses it serves, one JSON file
 * per template in this folder. No template is in code: a new one is a new file.
 */
import { readdirSync, readFileSync } from "node:fs";
import { z } from "zod";
import { badInput } from "../../../lib/errors.js";

/** What a report may be used for in the receiving city (采购, 招投标, 行政审批, 市场准入, 资质认定). */
export const USES = ["procurement", "tendering", "approval", "market-entry", "qualification"] as const;
export type Use = (typeof USES)[number];

/** The parts of a snapshot a template may show. `measuresInForce` stays empty until the measures subgraph exists. */
export const SECTIONS = ["registration", "licenses", "penalties", "lists", "ratings", "supervisionTier", "relatedPartyRisk", "measuresInForce"] as const;
export type Section = (typeof SECTIONS)[number];

const templateSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  version: z.number().int().positive(),
  title: z.string().min(1),
  about: z.string(),
  sections: z.array(z.enum(SECTIONS)).min(1),
  uses: z.array(z.enum(USES)).min(1),
  validityDays: z.number().int().min(1).max(366),
});

export type ReportTemplate = z.infer<typeof templateSchema>;

export const DEFAULT_TEMPLATE = "standard";

export interface TemplateRegistry {
  templates: ReportTemplate[];
  /** The edge check of a `template` argument (the default when left out). */
  require(id: string | null | undefined): ReportTemplate;
}

/** Reads and checks every template file: a bad file stops the start, naming the file and the fault. */
export function loadTemplates(dir: URL = new URL("./", import.meta.url)): TemplateRegistry {
  const templates = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((name) => {
    const parsed = templateSchema.safeParse(JSON.parse(readFileSync(new URL(name, dir), "utf8")));
    if (!parsed.success) throw new Error(`report template ${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    if (`${parsed.data.id}.json` !== name) throw new Error(`report template ${name}: its id is '${parsed.data.id}'; name the file after it`);
    return parsed.data;
  });
  if (!templates.some((t) => t.id === DEFAULT_TEMPLATE)) throw new Error(`report templates: the default template '${DEFAULT_TEMPLATE}' is missing`);
  return {
    templates,
    require(id) {
      const wanted = id ?? DEFAULT_TEMPLATE;
      const t = templates.find((x) => x.id === wanted);
      if (!t) throw badInput("template", "unknownTemplate", `no report template '${wanted}' (templates: ${templates.map((x) => x.id).join(", ")})`);
      return t;
    },
  };
}

/** The edge check of a `use` argument. */
export function requireUse(use: string): Use {
  if (!(USES as readonly string[]).includes(use)) throw badInput("use", "unknownUse", `'${use}' is not a use reports are recognised for (uses: ${USES.join(", ")})`);
  return use as Use;
}
