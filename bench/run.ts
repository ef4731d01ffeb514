// `npm run bench -- <name> [--flags]`: runs one bench and prints its result as ONE JSON
// document on stdout (progress goes to stderr), so runs can be piped and compared.
export interface Bench {
  run(argv: string[]): Promise<unknown>;
}

// Imported lazily: a bench's dependencies load only when that bench runs.
const benches: Record<string, () => Promise<Bench>> = {
  gateway: () => import("./gateway.js"),
  subscriptions: () => import("./subscriptions.js"),
  lists: () => import("./lists.js"),
  reports: () => import("./reports.js"),
  "credit-check": () => import("./creditCheck.js"),
  graph: () => import("./graph.js"),
};

const [name, ...argv] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [--flags]\n`);
  process.exit(2);
}
try {
  const result = await (await load()).run(argv);
  // Exit once stdout has flushed: a pipe write is asynchronous and process.exit would cut it.
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`, () => process.exit(0));
} catch (err) {
  process.stderr.write(`bench ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
