// The generator's people: a person is (city, local index), regenerated from that key alone; their
// ID number comes from a seeded bijection of the local index onto (district, birth date,
// sequence), so it is unique without a "seen" set; some hold professional qualifications.
import { partnerCities, type City } from "../../lib/cities.js";
import { idCheckDigit } from "../../lib/ids/index.js";
import { ANCHOR, addDays, addYears, dayBetween, isoOf, minIso } from "./formats.js";
import { rngFor, type Random } from "./random.js";
import type { IndividualRecord, QualificationRecord } from "./records.js";
import { BIRTH_FROM, D_PERSON, SEQUENCES, runContext, type CityInfo, type RunContext } from "./runContext.js";
import { FEMALE_CHARS, MALE_CHARS, QUALIFICATIONS, SURNAMES, issuerName } from "./words.js";

function personName(rng: Random, male: boolean): string {
  const pool = male ? MALE_CHARS : FEMALE_CHARS;
  const given = rng.chance(0.7) ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
  return SURNAMES.pick(rng) + given;
}

function qualifications(rng: Random, ctx: RunContext, home: CityInfo, key: number, idNumber: string, birth: string): QualificationRecord[] {
  const out: QualificationRecord[] = [];
  if (!rng.chance(0.2)) return out;
  const count = rng.chance(0.8) ? 1 : 2;
  for (let k = 1; k <= count; k++) {
    const kind = rng.pick(QUALIFICATIONS);
    // Mostly certified where they live; sometimes in another partner city.
    const issuing = rng.chance(0.9) ? home : rng.pick(ctx.cities);
    const issuedOn = dayBetween(rng, addYears(birth, 22), minIso(addYears(birth, 50), ANCHOR));
    out.push({
      idNumber,
      title: kind.title,
      certificateNumber: `${issuing.provinceAbbr}${kind.code}${issuedOn.slice(0, 4)}${String(key).padStart(9, "0")}${k}`,
      issuedBy: issuerName(kind, issuing.city),
      issuedOn,
      validUntil: kind.years ? addDays(addYears(issuedOn, kind.years), -1) : null,
      issuingCityCode: issuing.city.code,
    });
  }
  return out;
}

/** The person with this key (`local * cityCount + cityIndex`) in a run. */
export function personAt(ctx: RunContext, key: number): IndividualRecord {
  const n = ctx.cities.length;
  const home = ctx.cities[key % n];
  const local = Math.floor(key / n);
  // (district, sequence, birth day) from a bijection of the local index: unique per city,
  // and the district code prefix keeps cities apart.
  let x = home.idPermutation(local);
  const district = home.districts[x % home.districts.length];
  x = Math.floor(x / home.districts.length);
  const sequence = 1 + (x % SEQUENCES);
  const birthDay = BIRTH_FROM + Math.floor(x / SEQUENCES);
  const birth = isoOf(birthDay);
  const first17 = district.code + birth.replaceAll("-", "") + String(sequence).padStart(3, "0");
  const idNumber = first17 + idCheckDigit(first17);

  const rng = rngFor(ctx.seed, D_PERSON, key);
  const name = personName(rng, sequence % 2 === 1);
  return { key, idNumber, name, cityCode: home.city.code, qualifications: qualifications(rng, ctx, home, key, idNumber, birth) };
}

/**
 * The person with this key in a run with this seed (and city list): the same record the
 * generator produced for them, recomputed rather than remembered.
 */
export function individualAt(seed: number, key: number, cities: readonly City[] = partnerCities()): IndividualRecord {
  return personAt(runContext(seed, cities), key);
}

/** Share of enterprises whose legal representative already represents an earlier one. */
const REUSE_PERSON = 0.1;

/**
 * Who represents each next enterprise: an earlier person (regenerated from the key) or a new
 * one. People created so far per city are the generator's whole cross-enterprise state.
 */
export class Representatives {
  private readonly persons: number[];
  private total = 0;

  constructor(private readonly ctx: RunContext) {
    this.persons = new Array<number>(ctx.cities.length).fill(0);
  }

  next(rng: Random, home: CityInfo): { key: number; isNew: boolean } {
    const n = this.ctx.cities.length;
    const persons = this.persons;
    if (this.total > 0 && rng.chance(REUSE_PERSON)) {
      let c = home.index;
      if (persons[c] === 0 || rng.chance(0.2)) {
        let r = rng.int(0, this.total - 1);
        c = 0;
        while (r >= persons[c]) r -= persons[c++];
      }
      return { key: rng.int(0, persons[c] - 1) * n + c, isNew: false };
    }
    const c = rng.chance(0.92) ? home.index : rng.int(0, n - 1);
    if (persons[c] >= this.ctx.cities[c].idSpace) throw new RangeError(`ID number space of ${this.ctx.cities[c].city.name} exhausted`);
    this.total++;
    return { key: persons[c]++ * n + c, isNew: true };
  }
}
