import { describe, it, expect } from "@jest/globals";
import { checkUscc, checkIdNumber, requireUscc, requireIdNumber, upgradeLegacyIdNumber, maskIdNumber, maskName, usccCheckChar } from "./index.js";
import { GraphQLError } from "graphql";

// Test vectors from DOMAIN.md.
describe("USCC (GB 32100-2015)", () => {
  it.each(["91110000600037341L", "121200004013590816", "91340600MA2PBM9HXD", "91620100719023721L", "91620105L015101280", "92340621MA2UK3PJXE"])(
    "accepts %s", (code) => expect(checkUscc(code).ok).toBe(true));

  it("accepts a code whose check character is 0 (the final mod 31)", () => {
    expect(usccCheckChar("91620105L01510128")).toBe("0");
  });

  it.each([
    ["91110000600037341N", "checksum", "expected 'L', got 'N'"],
    ["12440300MB2C92173A", "checksum", "got 'A'"],
    ["9111000060003IOZSV", "alphabet", "'I'"],
    ["12345", "length", "got 5"],
    ["B1110000600037341L", "authority", "'B'"],
    ["Y2110000600037341L", "authority", "'Y'"],
  ])("rejects %s by rule %s", (code, rule, text) => {
    const r = checkUscc(code);
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.rule).toBe(rule); expect(r.message).toContain(text); }
  });

  it("accepts authority A pairs on checksum alone", () => {
    const first17 = "A1110000MA0000001";
    expect(checkUscc(first17 + usccCheckChar(first17)).ok).toBe(true);
  });

  it("normalises case and throws BAD_USER_INPUT naming the rule", () => {
    expect(requireUscc("91110000600037341l")).toBe("91110000600037341L");
    try { requireUscc("91110000600037341N"); throw new Error("no throw"); } catch (e) {
      expect(e).toBeInstanceOf(GraphQLError);
      expect((e as GraphQLError).extensions).toMatchObject({ code: "BAD_USER_INPUT", rule: "checksum", field: "uscc" });
      expect((e as GraphQLError).message).toContain("check character expected 'L', got 'N'");
    }
  });
});

describe("ID number (GB 11643-1999)", () => {
  it.each(["11010519491231002X", "360426199101010071", "44011320141005001X", "350303199002033073", "11010519491231002x"])(
    "accepts %s", (id) => expect(checkIdNumber(id).ok).toBe(true));

  it.each([
    ["36042619910102009X", "checksum"],
    ["360426199113010079", "birthDate"],
    ["111111111111111111", "birthDate"],
    ["36042619910101007", "length"],
    ["3604261991010100AX", "format"],
  ])("rejects %s by rule %s", (id, rule) => {
    const r = checkIdNumber(id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.rule).toBe(rule);
  });

  it("rejects a birth date in the future", () => {
    const r = checkIdNumber("360426209901010071", new Date("2026-11-25"));
    expect(r.ok).toBe(false);
  });

  it("stores lower-case x as X and reports sex from the sequence", () => {
    const r = checkIdNumber("11010519491231002x");
    expect(r).toMatchObject({ ok: true, value: "11010519491231002X", sex: "F", birthDate: "1949-12-31" });
    expect(requireIdNumber("360426199101010071")).toBe("360426199101010071");
  });

  it("upgrades a 15-digit legacy number", () => {
    const up = upgradeLegacyIdNumber("360426910101007");
    expect(up).toBe("360426199101010071");
    expect(checkIdNumber(up).ok).toBe(true);
  });
});

describe("masking", () => {
  it("keeps the region and the last four of an ID number", () => {
    expect(maskIdNumber("610802199001011234")).toBe("610802********1234");
  });
  it("keeps the family character of a name", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName("欧阳娜娜")).toBe("欧*");
  });
});
