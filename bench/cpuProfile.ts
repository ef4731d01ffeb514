// The top frames of a `node --cpu-prof` profile (the hub's, written when it exits), by self
// time and by time including callees, so a report can say where a missed target's time went.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { round } from "./figures.js";

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

/** Now on the clock V8 stamps profile samples with (CLOCK_MONOTONIC, in µs), as in another process. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const frameName = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\/.*?\/node_modules\//, "node_modules/").replace(/^file:\/\/.*?\/wt-[^/]+\//, "");
  return `${n.callFrame.functionName || "(anonymous)"} ${url}:${n.callFrame.lineNumber + 1}`;
};

/** One profile summarised over the samples inside `window`. */
function summarise(file: string, window: { fromUs: number; toUs: number }, count: number) {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (at >= window.fromUs && at <= window.toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    all += us;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === "(idle)") idle += us;
    self.set(frameName(node), (self.get(frameName(node)) ?? 0) + us);
    // Each frame once per sample even when it recurses.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!);
      if (!seen.has(name)) total.set(name, (total.get(name) ?? 0) + us);
      seen.add(name);
    }
  }
  const busy = all - idle;
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, count).map(([f, us]) => ({ frame: f, ms: round(us / 1000, 0), pctOfBusy: round((100 * us) / Math.max(1, busy), 1) }));
  const skip = /^\((root|program|idle|garbage collector)\)|^\(anonymous\) :0$/;
  return {
    file, sampledMs: round(all / 1000, 0), busyMs: round(busy / 1000, 0),
    bySelf: top(new Map([...self].filter(([f]) => !f.startsWith("(idle)")))), byTotal: top(new Map([...total].filter(([f]) => !skip.test(f)))),
  };
}

/**
 * The .cpuprofile files in `dir` (one per thread of the hub), each summarised over the samples
 * taken within `window` (µs on monotonicUs's clock: the load, without start-up and generation);
 * the busiest thread's in full, the others' busy time only. null when there is none.
 */
export function topFrames(dir: string, window: { fromUs: number; toUs: number }, count = 15) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(dir, f));
  if (files.length === 0) return null;
  const all = files.map((f) => summarise(f, window, count)).sort((a, b) => b.busyMs - a.busyMs);
  return { ...all[0], otherThreads: all.slice(1).map((x) => ({ file: x.file, busyMs: x.busyMs })) };
}
