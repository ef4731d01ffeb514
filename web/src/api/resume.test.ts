import { describe, it, expect } from "@jest/globals";
import { ResumePoint } from "./resume.js";

describe("a live feed's resume point", () => {
  it("starts live, then resumes after the last new event and drops repeated ids", () => {
    const p = new ResumePoint();
    expect(p.variables({ cities: ["610800"] })).toEqual({ cities: ["610800"] });
    expect(p.accept({ id: "a", sequence: "10" })).toBe(true);
    expect(p.accept({ id: "b", sequence: "11" })).toBe(true);
    expect(p.variables({ cities: null })).toEqual({ cities: null, after: "11" });
    // A replay around a reconnect: the old event again, then a new one.
    expect(p.accept({ id: "a", sequence: "10" })).toBe(false);
    expect(p.after).toBe("11");
    expect(p.accept({ id: "c", sequence: "12" })).toBe(true);
    expect([p.after, p.dropped]).toEqual(["12", 1]);
  });

  it("forgets the oldest ids beyond its memory", () => {
    const p = new ResumePoint(2);
    for (const id of ["a", "b", "c"]) p.accept({ id, sequence: id });
    expect(p.accept({ id: "a", sequence: "a" })).toBe(true);
    expect(p.accept({ id: "c", sequence: "c" })).toBe(false);
  });
});
