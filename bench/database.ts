// A throw-away PostgreSQL database per bench run, so every run seeds the same data
// from scratch and never touches a developer's own database.
import { randomBytes } from "node:crypto";
import pg from "pg";

/** Any database on the server to bench against; the fresh one is created beside it. */
export const DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(serverUrl: string = process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL): Promise<BenchDatabase> {
  // Random hex only: the name goes into DDL, which cannot take bind parameters.
  const name = `hub_bench_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // FORCE: a hub killed with SIGKILL may leave its pool's sessions open for a moment.
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
