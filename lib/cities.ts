import { readFileSync } from "node:fs";
import { badInput } from "./errors.js";

/** A partner city of the 沿黄区域信用合作机制, by its GB/T 2260 code. */
export interface City {
  code: string;
  name: string;
  province: string;
  /** County-level divisions (区/县/市), used for addresses and ID numbers. */
  districts: Array<[code: string, name: string]>;
}

// The registry is data, not code: a new partner city is one entry in cities.json.
const registry: City[] = JSON.parse(readFileSync(new URL("./cities.json", import.meta.url), "utf8"));
const byCode = new Map(registry.map((c) => [c.code, c]));

export function partnerCities(): readonly City[] {
  return registry;
}

export function findCity(code: string): City | undefined {
  return byCode.get(code);
}

/** The edge check for a `cityCode` argument. */
export function requireCity(code: string, field = "cityCode"): City {
  if (!/^\d{6}$/.test(code)) throw badInput(field, "format", `must be a six-digit GB/T 2260 code, got '${code}'`);
  const city = byCode.get(code);
  if (!city) {
    const known = registry.map((c) => `${c.code} ${c.name}`).join(", ");
    throw badInput(field, "unknownCity", `'${code}' is not a partner city of the hub (known: ${known})`);
  }
  return city;
}

/**
 * The city as the API shows it (`City`): a partner city from the registry, or, for a code
 * a record carries from before a city joined, the code itself as its name.
 */
export function cityOf(code: string): Pick<City, "code" | "name" | "province"> {
  return byCode.get(code) ?? { code, name: code, province: "" };
}
