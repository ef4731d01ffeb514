/**
 * kuzu's bulk path: the load is staged as one CSV file per node table and per (relation,
 * from table, to table), then each file goes in with one `COPY … FROM` (kuzu's own bulk
 * loader, which builds the column files and the rel CSR directly). Nothing reaches the
 * store before every row has passed the checks, so a rejected load leaves it empty.
 *
 * Columns follow the table definitions in cypher.ts (SCHEMA); an empty field is NULL,
 * string fields are quoted, risk flags are a kuzu list literal (flags are UPPER_SNAKE_CASE,
 * validate.ts, so never a comma or a bracket).
 */
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BulkSink } from "../bulk.js";
import type { StoredEdge } from "../engine.js";
import { ENDPOINTS } from "../model.js";
import type { GraphNode, NodeKind, RelationType } from "../types.js";

/** Bytes of CSV kept in memory per file before it is appended to disk. */
const FLUSH_AT = 4 << 20;

function quoted(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

function nodeLine(key: string, n: GraphNode): string {
  return `${quoted(key)},${quoted(n.name)},${n.cityCode ?? ""},[${n.riskFlags.join(",")}]\n`;
}

function edgeLine(e: StoredEdge): string {
  return `${quoted(e.from)},${quoted(e.to)},${e.share ?? ""},${e.cityCode},${e.validFrom},${e.validTo ?? ""}\n`;
}

class CsvFile {
  private buffered: string[] = [];
  private size = 0;
  /** kuzu's parallel CSV reader cannot take a quoted line break. */
  multiline = false;
  constructor(readonly path: string) {}

  /** A promise only when the buffer goes to disk (see eachOf in ../bulk.ts). */
  add(line: string): Promise<void> | undefined {
    this.buffered.push(line);
    if (!this.multiline && /[\r\n]./.test(line)) this.multiline = true;
    this.size += line.length;
    return this.size >= FLUSH_AT ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const text = this.buffered.join("");
    this.buffered = [];
    this.size = 0;
    await appendFile(this.path, text);
  }
}

/** A COPY statement for a staged file; the path is ours (mkdtemp), checked to be quote-free. */
function copyStatement(table: string, file: CsvFile, ends?: { from: NodeKind; to: NodeKind }): string {
  if (/['\\]/.test(file.path)) throw new Error(`kuzu bulk: unusable staging path ${file.path}`);
  const options = ["HEADER=false", ...(file.multiline ? ["PARALLEL=false"] : []), ...(ends ? [`from='${ends.from}'`, `to='${ends.to}'`] : [])];
  return `COPY ${table} FROM '${file.path}' (${options.join(", ")})`;
}

/**
 * @param keyOfNode the stored key of a node (keyOf)
 * @param copy runs one COPY statement on the store's connection
 */
export async function kuzuBulkSink(keyOfNode: (n: GraphNode) => string, copy: (statement: string) => Promise<void>): Promise<BulkSink> {
  const dir = await mkdtemp(join(tmpdir(), "graph-bulk-"));
  const nodeFiles = new Map<NodeKind, CsvFile>();
  const edgeFiles = new Map<string, { type: RelationType; from: NodeKind; to: NodeKind; file: CsvFile }>();
  const fileFor = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
    let v = map.get(key);
    if (!v) map.set(key, (v = make()));
    return v;
  };
  return {
    node: (kind, node) => fileFor(nodeFiles, kind, () => new CsvFile(join(dir, `${kind}.csv`))).add(nodeLine(keyOfNode(node), node)),
    nodesDone: () => undefined,
    edge: (type, from, to, edge) =>
      fileFor(edgeFiles, `${type}-${from}-${to}`, () => ({ type, from, to, file: new CsvFile(join(dir, `${type}-${from}-${to}.csv`)) })).file.add(edgeLine(edge)),
    async finish() {
      try {
        for (const [kind, file] of nodeFiles) {
          await file.flush();
          await copy(copyStatement(kind, file));
        }
        for (const { type, from, to, file } of edgeFiles.values()) {
          await file.flush();
          // kuzu wants the pair named when a rel table has more than one.
          await copy(copyStatement(type, file, ENDPOINTS[type].length > 1 ? { from, to } : undefined));
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    abort: () => rm(dir, { recursive: true, force: true }),
  };
}
