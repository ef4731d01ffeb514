// `npm run bench -- graph [--enterprises 1000000] [--people <1.5 × enterprises>] [--seed 1]
//   [--samples 200] [--warmup 20] [--budget 120] [--gateway yes|no] [--gateway-samples 100]`
//
// The affiliate graph at size (issue 18, item 6). Steps: lay out a synthetic registry
// (graphData.ts: ownership groups shaped like the real registers, nominee representatives,
// valid USCCs and ID numbers, deterministic from --seed); time the generator alone; bulk-load
// it into the embedded kuzu store (GraphStore.bulkLoad); time affiliates (2 and 3 hops),
// ultimateControllers, relationPath and relatedPartyRisk on the store for random subjects,
// each answer checked (graphChecks.ts); then start the hub over that graph directory and time
// the same queries through it (graphGateway.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KuzuGraphStore } from "../graph/kuzu/store.js";
import { parseFlags, positiveNumber } from "./args.js";
import { Cleanup } from "./cleanup.js";
import { loadAtStart, log, machine, round } from "./figures.js";
import { SyntheticRegistry } from "./graphData.js";
import { measureGateway } from "./graphGateway.js";
import { measureStore, pickSubjects, type QueryFigures } from "./graphQueries.js";

function readOptions(argv: string[]) {
  const flags = parseFlags(argv, { enterprises: "1000000", people: "", seed: "1", samples: "200", warmup: "20", budget: "120", gateway: "yes", "gateway-samples": "100" });
  const enterprises = Math.floor(positiveNumber(flags, "enterprises"));
  const people = flags.people === "" ? Math.round(enterprises * 1.5) : Math.floor(positiveNumber(flags, "people"));
  if (flags.gateway !== "yes" && flags.gateway !== "no") throw new Error(`--gateway is yes or no, got '${flags.gateway}'`);
  return {
    enterprises, people, seed: Math.floor(positiveNumber(flags, "seed")),
    samples: Math.floor(positiveNumber(flags, "samples")), warmup: Math.floor(Number(flags.warmup)) || 0,
    budgetSec: positiveNumber(flags, "budget"), gateway: flags.gateway === "yes", gatewaySamples: Math.floor(positiveNumber(flags, "gateway-samples")),
  } as const;
}

const rssMiB = () => round(process.memoryUsage().rss / 2 ** 20, 1);

const NOTES = [
  "load: GraphStore.bulkLoad (kuzu: CSV staging + COPY) fed by the generator as it runs; loadSec includes generating, generateSec is the generator alone (a dry pass), edgesPerSec = edges / loadSec; loadCpuSec: the bench process's CPU time over the load, all threads (kuzu's COPY runs on several): with other work on the machine, wall time can be well above it",
  "store.*: one call at a time in the bench process on the embedded store (no HTTP, no GraphQL), asOf " + "2025-12-31" + ", affiliates with first 10000 as the relations subgraph asks, ultimateControllers threshold 0.25, relationPath maxDepth 6, relatedPartyRisk depth 3",
  "every answer is checked against the subject's generated group: the one-hop affiliates exactly, every group member within the depth present, controllers (share and control) exactly, paths continuous and no longer than the known one, flagged direct neighbours contributing to the risk; failed counts answers that broke a check",
  "relationPathSameGroup: to another enterprise of the subject's group; relationPathRandomPair: to a random enterprise (mostly no path within 6 hops: a full search)",
];

function againstTargets(loadEdgesPerSec: number, store: Record<string, QueryFigures>, hubStartSec: number | null) {
  return {
    loadEdgesPerSec: { target: 50_000, got: loadEdgesPerSec, met: loadEdgesPerSec >= 50_000 },
    twoHopP95Ms: { target: 20, got: store.affiliates2.p95Ms, met: store.affiliates2.p95Ms <= 20 },
    ultimateControllersP95Ms: { target: 50, got: store.ultimateControllers.p95Ms, met: store.ultimateControllers.p95Ms <= 50 },
    hubStartSec: { target: 60, got: hubStartSec, met: hubStartSec === null ? null : hubStartSec <= 60 },
  };
}

export async function run(argv: string[]): Promise<unknown> {
  const o = readOptions(argv);
  const load = loadAtStart();
  const cleanup = new Cleanup();
  try {
    const dataDir = await mkdtemp(join(tmpdir(), "hub-bench-graph-"));
    cleanup.add("remove data dir", () => rm(dataDir, { recursive: true, force: true }));

    log(`laying out ${o.enterprises} enterprises, ${o.people} people`);
    let t = performance.now();
    const registry = new SyntheticRegistry({ seed: o.seed, enterprises: o.enterprises, people: o.people });
    const layoutSec = (performance.now() - t) / 1000;
    t = performance.now();
    let nodes = 0, edges = 0;
    for (const _ of registry.nodes()) nodes++;
    for (const _ of registry.edges()) edges++;
    const generateSec = (performance.now() - t) / 1000;
    log(`${nodes} nodes, ${edges} edges; generator alone ${round(generateSec)} s`);

    const store = new KuzuGraphStore(join(dataDir, "graph"));
    let storeOpen = true;
    cleanup.add("close store", async () => void (storeOpen && (await store.close())));
    t = performance.now();
    const cpuBefore = process.cpuUsage();
    const loaded = await store.bulkLoad({ nodes: registry.nodes(), edges: registry.edges() });
    const loadSec = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const loadCpuSec = (cpu.user + cpu.system) / 1e6;
    const counts = await store.counts();
    if (counts.nodes !== nodes || counts.edges !== edges || loaded.edges !== edges) throw new Error(`loaded ${JSON.stringify(counts)}, generated ${nodes} nodes and ${edges} edges`);
    const edgesPerSec = Math.round(edges / loadSec);
    log(`loaded in ${round(loadSec)} s (${edgesPerSec} edges/s)`);
    const rssAfterLoad = rssMiB();
    log(`bench process (pid ${process.pid}) RSS ${rssAfterLoad} MiB after the load; CPU ${round(loadCpuSec)} s over it`);

    const subjects = pickSubjects(registry, o.warmup + o.samples, o.seed);
    const storeFigures = await measureStore(store, subjects, { warmup: o.warmup, budgetSec: o.budgetSec });
    const rssAfterQueries = rssMiB();
    await store.close();
    storeOpen = false;

    const gateway = o.gateway
      ? await measureGateway({ dataDir, subjects: subjects.slice(o.warmup, o.warmup + o.gatewaySamples), warmup: subjects.slice(0, o.warmup), budgetSec: o.budgetSec }, cleanup)
      : null;

    return {
      bench: "graph",
      graph: { enterprises: o.enterprises, people: o.people, publicBodies: nodes - o.enterprises - o.people, nodes, edges, groups: registry.groups, shapes: registry.shapes, seed: o.seed },
      load: { layoutSec: round(layoutSec), generateSec: round(generateSec), loadSec: round(loadSec), loadCpuSec: round(loadCpuSec), edgesPerSec, nodesPerSec: Math.round(nodes / loadSec), edgesPerSecWithoutGenerator: Math.round(edges / Math.max(0.001, loadSec - generateSec)) },
      store: storeFigures,
      gateway,
      rssMiB: { benchAfterLoad: rssAfterLoad, benchAfterQueries: rssAfterQueries, hub: gateway?.hubRssMiB ?? null },
      targets: againstTargets(edgesPerSec, storeFigures, gateway?.hubStart.secondStartSec ?? null),
      notes: NOTES,
      machine: machine(load),
    };
  } finally {
    await cleanup.run();
  }
}
