/**
 * The contract on every backend there is: kuzu always (in memory), Neo4j when NEO4J_URI
 * is set. The Neo4j run first deletes every Enterprise, Person and PublicBody node of
 * its database (NEO4J_DATABASE, default the home database): point it at a test database.
 */
import { beforeAll, describe } from "@jest/globals";
import { runGraphContract } from "./contract.js";
import { KuzuGraphStore } from "./kuzu/store.js";
import { Neo4jGraphStore } from "./neo4j/store.js";

runGraphContract("kuzu (in memory)", async () => new KuzuGraphStore());

const neo4jUri = process.env.NEO4J_URI;
if (neo4jUri) {
  const opts = {
    uri: neo4jUri,
    user: process.env.NEO4J_USER ?? "neo4j",
    password: process.env.NEO4J_PASSWORD ?? "",
    database: process.env.NEO4J_DATABASE || undefined,
  };
  describe("neo4j", () => {
    beforeAll(async () => {
      const store = new Neo4jGraphStore(opts);
      try {
        await store.clear();
      } finally {
        await store.close();
      }
    });
    runGraphContract(`neo4j (${neo4jUri})`, async () => new Neo4jGraphStore(opts));
  });
}
