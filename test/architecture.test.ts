/**
 * The house, checked: which room may import which, no import cycles, small files and
 * functions (or a reason, written "Long:" in a comment at the top of the file or just above
 * the function), and every subgraph room in the same shape. Read from the sources with the
 * TypeScript parser, so a new room that breaks the shape fails here, not in review.
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), ".."));
const ROOMS = ["lib", "events", "gateway", "subgraphs", "graph", "prisma", "hub", "scripts", "bench", "test", "web"];
const SKIP = new Set(["node_modules", "generated", "migrations", ".data", "dist"]);
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;
const SUBGRAPH_FILES = ["schema.graphql", "index.ts", "resolvers.ts", "data.ts", "loaders.ts", "events.ts"];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (SKIP.has(name)) return [];
    if (statSync(full).isDirectory()) return walk(full);
    return /\.(ts|tsx|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [relative(ROOT, full)] : [];
  });
}

const files = ROOMS.filter((r) => existsSync(join(ROOT, r))).flatMap((r) => walk(join(ROOT, r)));
const isTest = (f: string) => f.endsWith(".test.ts") || f.startsWith("test/");
const sources = new Map(files.map((f) => [f, ts.createSourceFile(f, readFileSync(join(ROOT, f), "utf8"), ts.ScriptTarget.Latest, true, f.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS)]));

/** Repo-relative paths a file imports (static, re-exports and dynamic with a literal), resolved to .ts files. */
function importsOf(file: string): string[] {
  const out: string[] = [];
  const add = (spec: string) => {
    if (!spec.startsWith(".")) return;
    const target = normalize(join(dirname(file), spec)).replace(/\.js$/, ".ts");
    if (sources.has(target)) out.push(target);
    else if (sources.has(`${target}x`)) out.push(`${target}x`);
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) add(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(sources.get(file)!);
  return out;
}

const imports = new Map(files.map((f) => [f, importsOf(f)]));
const product = files.filter((f) => !isTest(f));
const under = (f: string, ...dirs: string[]) => dirs.some((d) => f.startsWith(`${d}/`));
const hasReason = (text: string) => /\bLong:/.test(text);

describe("the house", () => {
  it("keeps its rooms' dependencies pointing one way", () => {
    const broken: string[] = [];
    for (const f of product) {
      for (const t of imports.get(f)!) {
        const edge = `${f} -> ${t}`;
        if (under(f, "gateway") && under(t, "subgraphs", "graph", "hub", "prisma/seed")) broken.push(`${edge}: the gateway knows no subgraph, graph or demo data`);
        if (under(f, "web") !== under(t, "web")) broken.push(`${edge}: the dashboard reaches the hub only through its GraphQL API, and nothing imports the dashboard`);
        if (under(f, "lib", "events") && under(t, "gateway", "subgraphs", "hub", "graph", "bench", "scripts")) broken.push(`${edge}: the kernel and the event room import no service`);
        if (under(f, "graph") && under(t, "gateway", "subgraphs", "hub")) broken.push(`${edge}: the graph imports no service`);
        if (under(t, "prisma/seed") && !under(f, "prisma/seed", "hub", "scripts", "bench")) broken.push(`${edge}: only the composition root, scripts and benches call the demo data`);
        const [, a] = /^subgraphs\/([^/]+)\//.exec(f) ?? [];
        const [, b, rest] = /^subgraphs\/([^/]+)\/(.+)$/.exec(t) ?? [];
        if (a && b && a !== b && rest !== "events.ts") broken.push(`${edge}: a subgraph reaches another only through its events.ts contract`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("has no import cycles", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, "open");
      stack.push(f);
      for (const t of imports.get(f)!) {
        if (isTest(t)) continue;
        if (state.get(t) === "open") cycles.push([...stack.slice(stack.indexOf(t)), t].join(" -> "));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, "done");
    };
    for (const f of product) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("keeps files under 300 lines unless their top says why", () => {
    const long = files.filter((f) => {
      const text = sources.get(f)!.text;
      const lines = text.split("\n").length;
      return lines > MAX_FILE_LINES && !hasReason(text.split("\n").slice(0, 12).join("\n"));
    });
    expect(long).toEqual([]);
  });

  it("keeps functions under 80 lines unless a comment just above says why", () => {
    const long: string[] = [];
    for (const f of product) {
      const sf = sources.get(f)!;
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && "body" in node && node.body) {
          const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
          const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
          // The comment may sit on the function or on the statement that holds it (export const x = () => ...).
          let holder: ts.Node = node;
          while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent) && !ts.isClassDeclaration(holder.parent) && !ts.isObjectLiteralExpression(holder.parent)) holder = holder.parent;
          const comments = (ts.getLeadingCommentRanges(sf.text, holder.getFullStart()) ?? []).map((c) => sf.text.slice(c.pos, c.end)).join("\n");
          if (end - start + 1 > MAX_FUNCTION_LINES && !hasReason(comments)) long.push(`${f}:${start + 1} (${end - start + 1} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(long).toEqual([]);
  });

  it("gives every subgraph room the same shape", () => {
    const dir = join(ROOT, "subgraphs");
    const rooms = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
    expect(rooms.length).toBeGreaterThanOrEqual(5);
    for (const room of rooms) {
      expect({ room, missing: SUBGRAPH_FILES.filter((f) => !existsSync(join(dir, room, f))) }).toEqual({ room, missing: [] });
      // index.ts only wires: its resolvers, context and events come from their own files.
      const index = readFileSync(join(dir, room, "index.ts"), "utf8");
      expect({ room, wires: /from "\.\/resolvers\.js"/.test(index) && /from "\.\/loaders\.js"/.test(index) && /from "\.\/events\.js"/.test(index) }).toEqual({ room, wires: true });
    }
  });
});
