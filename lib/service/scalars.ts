import { GraphQLScalarType, Kind } from "graphql";
import { badInput } from "../errors.js";

/** Calendar date `YYYY-MM-DD` (dates in the records carry no time zone). */
function parseDate(value: unknown): string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw badInput("Date", "format", `expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseDecimal(value: unknown): string {
  if (typeof value !== "string" || !/^-?\d+(\.\d+)?$/.test(value)) {
    throw badInput("Decimal", "format", `expected a decimal string such as "1000.00", got ${JSON.stringify(value)}`);
  }
  return value;
}

export const DateScalar = new GraphQLScalarType({
  name: "Date",
  description: "Calendar date, YYYY-MM-DD",
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
    throw new TypeError(`Date cannot represent ${String(value)}`);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput("Date", "format", "expected a date string YYYY-MM-DD");
    return parseDate(ast.value);
  },
});

/** Money in yuan as an exact decimal string (never a float). */
export const DecimalScalar = new GraphQLScalarType({
  name: "Decimal",
  description: "Exact decimal number as a string, e.g. \"5000000.00\" (yuan)",
  serialize(value) {
    if (typeof value === "string") return value;
    if (value && typeof (value as { toFixed?: unknown }).toFixed === "function") return (value as { toFixed(d: number): string }).toFixed(2);
    throw new TypeError(`Decimal cannot represent ${String(value)}`);
  },
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput("Decimal", "format", "expected a decimal string");
    return parseDecimal(ast.value);
  },
});
