/**
 * What of the Neo4j backend runs without a server: connection failure, backend choice,
 * and the Cypher it would send (the contract suite covers the rest when NEO4J_URI is set).
 */
import { describe, expect, it } from "@jest/globals";
import { graphConfigFromEnv, openGraphStore } from "../index.js";
import type { PathQuery } from "../base.js";
import { pathQuery, versionSupported } from "./cypher.js";

describe("Neo4j backend without a server", () => {
  it("ping() rejects quickly on an unreachable URI, and init() too; nothing is contacted before", async () => {
    const store = await openGraphStore({ neo4jUri: "bolt://127.0.0.1:1", neo4jUser: "neo4j", neo4jPassword: "secret" });
    expect(store.backend).toBe("neo4j");
    const t0 = Date.now();
    await expect(store.ping()).rejects.toThrow(/connect/i);
    expect(Date.now() - t0).toBeLessThan(2_000);
    // Queries retry transient failures for maxRetryTime (2 s by default) before giving up.
    await expect(store.init()).rejects.toMatchObject({ code: "ServiceUnavailable" });
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });

  it("needs user and password with a URI; without a URI the store is kuzu", async () => {
    await expect(openGraphStore({ neo4jUri: "bolt://127.0.0.1:1" })).rejects.toThrow(/NEO4J_USER/);
    const kuzu = await openGraphStore({});
    expect(kuzu.backend).toBe("kuzu");
    await kuzu.ping();
    await kuzu.close();
  });

  it("reads NEO4J_* from the environment, else a kuzu directory under HUB_DATA_DIR", () => {
    expect(graphConfigFromEnv({ NEO4J_URI: "neo4j://db:7687", NEO4J_USER: "u", NEO4J_PASSWORD: "p" })).toMatchObject({ neo4jUri: "neo4j://db:7687", neo4jUser: "u", neo4jPassword: "p" });
    expect(graphConfigFromEnv({ HUB_DATA_DIR: "/var/hub" })).toMatchObject({ neo4jUri: undefined, dataDir: "/var/hub/graph" });
    expect(graphConfigFromEnv({}, { embeddedDir: undefined }).dataDir).toBeUndefined();
  });

  it("requires Neo4j 5.21+ (ALL SHORTEST), calendar versions included", () => {
    expect(["5.21.0", "5.26.3", "2025.01.0", "6.0.0"].map(versionSupported)).toEqual([true, true, true, true]);
    expect(["5.20.0", "4.4.30", ""].map(versionSupported)).toEqual([false, false, false]);
  });

  it("sends quantified relationships with the validity filter inline", () => {
    const base: PathQuery = {
      mode: "allShortest", start: { kind: "Enterprise", key: "91610800GD00000011" }, direction: "both",
      types: ["SUPPLY_CHAIN", "SHAREHOLDER_OF"], maxHops: 3, asOf: "2026-11-01",
    };
    expect(pathQuery(base)).toBe(
      "MATCH p = ALL SHORTEST (s:Enterprise {uscc: $startKey})-[r:SUPPLY_CHAIN|SHAREHOLDER_OF WHERE r.validFrom <= $asOf AND (r.validTo IS NULL OR $asOf < r.validTo)]-{1,3}(t) WHERE t <> s RETURN p",
    );
    expect(pathQuery({ ...base, mode: "acyclic", direction: "in", endKinds: ["Person", "PublicBody"] })).toBe(
      "MATCH p = (s:Enterprise {uscc: $startKey})<-[r:SUPPLY_CHAIN|SHAREHOLDER_OF WHERE r.validFrom <= $asOf AND (r.validTo IS NULL OR $asOf < r.validTo)]-{1,3}(t:Person|PublicBody) WHERE t <> s RETURN p",
    );
    expect(pathQuery({ ...base, mode: "acyclic", endFlagged: true })).toContain("WHERE t <> s AND size(coalesce(t.riskFlags, [])) > 0");
    expect(pathQuery({ ...base, end: { kind: "Person", key: "x" } })).toContain("(t:Person {idNumber: $endKey})");
  });
});
