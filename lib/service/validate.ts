import type { z } from "zod";
import { badInput } from "../errors.js";

/** Checks an input object at the edge; the first failure becomes a BAD_USER_INPUT naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, field: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = [field, ...issue.path.map(String)].join(".");
  throw badInput(path, issue.code, issue.message);
}
