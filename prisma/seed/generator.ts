/**
 * Deterministic demo data for the hub: enterprises of the partner cities with their
 * 双公示 records (licenses, penalties) and their legal representatives (法定代表人)
 * as individuals with professional qualifications.
 *
 * Pure: no I/O beyond reading the city registry and the word tables (data/*.json) once at
 * load, no clock, no Math.random(). Records stream one enterprise at a time; the only state
 * kept across enterprises is one person counter per city, so a million enterprises need
 * no more memory than ten.
 *
 * Identifiers are valid by construction and unique without a "seen" set:
 * - USCC: positions 9–16 come from a seeded bijection of the enterprise index, so two
 *   enterprises of one run never share an organisation code (hence a USCC);
 * - ID number: a person is (city, local index); the local index goes through a seeded
 *   bijection onto (district, birth date, sequence) of that city, so the ID is unique
 *   and the person can be regenerated from the key alone (`individualAt`);
 * - decision / certificate numbers embed the enterprise index / person key.
 *
 * Dates are `YYYY-MM-DD` strings throughout; amounts are decimal strings in yuan.
 * This file is the generator's public surface and its loop; the parts: records.ts (types),
 * runContext.ts, individuals.ts, enterprises.ts, licenses.ts, penalties.ts, words.ts + data/.
 */
import { partnerCities } from "../../lib/cities.js";
import type { Ctx } from "./decisions.js";
import { enterpriseRecord, UNIT_TYPES } from "./enterprises.js";
import { personAt, Representatives } from "./individuals.js";
import { licenses } from "./licenses.js";
import { penalties } from "./penalties.js";
import { rngFor } from "./random.js";
import type { GeneratedEnterprise, GenerateOptions } from "./records.js";
import { D_ENTERPRISE, ORG_SPACE, runContext } from "./runContext.js";

export type {
  EnterpriseRecord, EnterpriseStatus, GeneratedEnterprise, GenerateOptions, IndividualRecord, LicenseRecord, PenaltyRecord, PenaltySeverity,
  QualificationRecord, UnitType,
} from "./records.js";
export { addYears, seedAnchorDate } from "./formats.js";
export { individualAt } from "./individuals.js";
export { PUBLICITY_YEARS } from "./penalties.js";

/**
 * Enterprises 0 … enterprises−1 for this seed, one at a time. The stream does not
 * depend on `enterprises`: a longer run starts with the records of a shorter one.
 */
export function* generateEnterprises(opts: GenerateOptions): Generator<GeneratedEnterprise, void, undefined> {
  const { seed, enterprises } = opts;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(enterprises) || enterprises < 0 || enterprises > ORG_SPACE) {
    throw new RangeError(`enterprises must be an integer in [0, ${ORG_SPACE}], got ${enterprises}`);
  }
  const ctx = runContext(seed, opts.cities ?? partnerCities());
  const representatives = new Representatives(ctx);

  for (let index = 0; index < enterprises; index++) {
    // Every draw below comes from this enterprise's own stream, in this order.
    const rng = rngFor(seed, D_ENTERPRISE, index);
    const type = UNIT_TYPES.pick(rng);
    const home = ctx.cityTable.pick(rng);
    const district = rng.pick(home.districts);
    const { key, isNew } = representatives.next(rng, home);
    const person = personAt(ctx, key);
    const industry = home.industries[type].pick(rng);
    const ent = enterpriseRecord(ctx, { rng, index, type, home, district, industry, person });
    const c: Ctx = { rng, ent, industry, district: district.name };
    yield {
      index,
      unitType: type,
      enterprise: ent,
      legalRepresentative: person,
      legalRepresentativeIsNew: isNew,
      licenses: licenses(c, home, index),
      penalties: penalties(c, home, index),
    };
  }
}
