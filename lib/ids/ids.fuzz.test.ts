import { describe, it, expect } from "@jest/globals";
import * as fc from "fast-check";
import { checkUscc, checkIdNumber, usccCheckChar, idCheckDigit, USCC_ALPHABET } from "./index.js";

/**
 * Property-based checks of the identifier validators (fast-check). The oracles
 * below are written from the standards, not read from the implementation.
 */

const RUNS = { numRuns: 500 };

/** GB 32100-2015 (with XG1-2016): registration authority → the organisation types it may issue. */
const AUTHORITY_TYPES: Record<string, string> = {
  "1": "1239", "2": "19", "3": "12345679", "4": "19", "5": "1239", "6": "129",
  "7": "129", "8": "19", "9": "123", A: "19", N: "12349", Y: "1",
};
const VALID_PAIRS = Object.entries(AUTHORITY_TYPES).flatMap(([authority, types]) => [...types].map((t) => authority + t));

const alphabetChar = fc.constantFrom(...USCC_ALPHABET);
const digit = fc.constantFrom(..."0123456789");
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(""));

/** 17 characters: a valid authority/type pair, a six-digit region code, nine alphabet characters. */
const usccFirst17 = fc
  .tuple(fc.constantFrom(...VALID_PAIRS), digits(6), fc.array(alphabetChar, { minLength: 9, maxLength: 9 }))
  .map(([pair, region, rest]) => pair + region + rest.join(""));

/** A real calendar date as YYYYMMDD (UTC), 1900-01-01 … 2020-12-31. */
const birthDate = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2020-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll("-", ""));

/** The first 17 digits of an ID number: address code, birth date, three-digit sequence. */
const idFirst17 = fc.tuple(digits(6), birthDate, digits(3)).map(([address, date, seq]) => address + date + seq);

/** Any string: full Unicode, control characters, lone surrogates, and near-miss shapes. */
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(..."0123456789XxIOZSVaz -\u0000\t\n"), minLength: 14, maxLength: 22 }),
  fc.string({ unit: alphabetChar, minLength: 18, maxLength: 18 }),
);

const USCC_RULES = ["length", "alphabet", "authority", "region", "checksum"];
const ID_RULES = ["length", "format", "birthDate", "checksum"];

describe("USCC properties (GB 32100-2015)", () => {
  it("accepts any valid prefix completed with usccCheckChar, in upper or lower case", () => {
    fc.assert(
      fc.property(usccFirst17, (first17) => {
        const code = first17 + usccCheckChar(first17);
        const r = checkUscc(code);
        expect(r).toMatchObject({ ok: true, value: code });
        expect(checkUscc(code.toLowerCase())).toMatchObject({ ok: true, value: code });
      }),
      RUNS,
    );
  });

  it("rejects a valid code with any single character changed to another alphabet character", () => {
    const mutation = fc
      .tuple(usccFirst17, fc.integer({ min: 0, max: 17 }), alphabetChar)
      .map(([first17, position, replacement]) => ({ code: first17 + usccCheckChar(first17), position, replacement }))
      .filter(({ code, position, replacement }) => code[position] !== replacement);
    fc.assert(
      fc.property(mutation, ({ code, position, replacement }) => {
        const changed = code.slice(0, position) + replacement + code.slice(position + 1);
        const r = checkUscc(changed);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(USCC_RULES).toContain(r.rule);
          // Positions 3–18 keep a valid authority/type pair, so only the region or the checksum can catch them.
          if (position >= 2) expect(["region", "checksum"]).toContain(r.rule);
        }
      }),
      RUNS,
    );
  });

  it("never throws on arbitrary input: a verdict with a named rule and a message", () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const r = checkUscc(raw);
        if (r.ok) {
          expect(r.value).toHaveLength(18);
          expect(r.value[17]).toBe(usccCheckChar(r.value.slice(0, 17)));
        } else {
          expect(USCC_RULES).toContain(r.rule);
          expect(typeof r.message).toBe("string");
          expect(r.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("ID number properties (GB 11643-1999)", () => {
  it("accepts any address code, real birth date and sequence completed with idCheckDigit", () => {
    fc.assert(
      fc.property(idFirst17, (first17) => {
        const id = first17 + idCheckDigit(first17);
        const r = checkIdNumber(id);
        expect(r).toMatchObject({
          ok: true,
          value: id,
          birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
          sex: Number(id[16]) % 2 === 1 ? "M" : "F",
        });
      }),
      RUNS,
    );
  });

  it("rejects a valid number with any single digit of positions 1–17 changed", () => {
    const mutation = fc
      .tuple(idFirst17, fc.integer({ min: 0, max: 16 }), digit)
      .map(([first17, position, replacement]) => ({ id: first17 + idCheckDigit(first17), position, replacement }))
      .filter(({ id, position, replacement }) => id[position] !== replacement);
    fc.assert(
      fc.property(mutation, ({ id, position, replacement }) => {
        const changed = id.slice(0, position) + replacement + id.slice(position + 1);
        const r = checkIdNumber(changed);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(["birthDate", "checksum"]).toContain(r.rule);
      }),
      RUNS,
    );
  });

  it("rejects a valid number whose check character is replaced by any other", () => {
    const mutation = fc
      .tuple(idFirst17, fc.constantFrom(..."0123456789X"))
      .filter(([first17, check]) => idCheckDigit(first17) !== check);
    fc.assert(
      fc.property(mutation, ([first17, check]) => {
        expect(checkIdNumber(first17 + check)).toMatchObject({ ok: false, rule: "checksum" });
      }),
      RUNS,
    );
  });

  it("never throws on arbitrary input: a verdict with a named rule and a message", () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const r = checkIdNumber(raw);
        if (r.ok) {
          expect(r.value).toMatch(/^\d{17}[\dX]$/);
          expect(r.value[17]).toBe(idCheckDigit(r.value.slice(0, 17)));
        } else {
          expect(ID_RULES).toContain(r.rule);
          expect(typeof r.message).toBe("string");
          expect(r.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
