import type { TemplateRegistry } from "../templates/index.js";
import type { AgreementRegistry } from "./agreements.js";
import type { FactSources } from "./sources.js";

/** What issuing, verifying and recognising reports need beyond the store: the data files, the contracts and the keys folder. */
export interface ReportServices {
  templates: TemplateRegistry;
  agreements: AgreementRegistry;
  sources: FactSources;
  /** Where the cities' private signing keys are kept (domain/keys.ts). */
  keysDir: string;
}
