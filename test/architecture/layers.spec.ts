// The shape of the code: each folder is one layer, imports point one way, no module imports
// itself back through a circle, and every package the code imports is declared where it is
// installed from. The README's Layout section draws the same rules; this test is what keeps them.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../helpers";

/** A layer: the files it holds (path prefixes from the repository root) and what it may import. */
interface Layer {
  readonly name: string;
  readonly holds: readonly string[];
  readonly mayImport: readonly string[];
  /** Packages the layer must not import (a specifier equal to one, or below it). */
  readonly forbidPackages?: readonly string[];
  /** Exceptions to forbidPackages: specifiers that are plain data. */
  readonly allowSpecifiers?: readonly string[];
}

// Order matters only for lookup: the first layer whose prefix matches a file holds it.
export const LAYERS: readonly Layer[] = [
  // The policy pack is its own package: it imports nothing of the blueprint or the tooling.
  { name: "policies/lib", holds: ["policies/lib/"], mayImport: [] },
  { name: "policies", holds: ["policies/"], mayImport: ["policies/lib"] },
  // The engine-neutral model: config, naming, the pipeline model, the IAM documents. It shares
  // the pack's secret detector so config and pack agree on what a secret looks like.
  {
    name: "model",
    holds: ["model/"],
    mayImport: ["policies/lib"],
    // Engine-neutral: no Pulumi SDK, no resource modules. The region list is plain data.
    forbidPackages: ["@pulumi"],
    allowSpecifiers: ["@pulumi/aws/types/enums"],
  },
  // Lambda handlers: packaged with the model files they import, run on Lambda's own SDK.
  {
    name: "functions",
    holds: ["functions/"],
    mayImport: ["model"],
    forbidPackages: ["@pulumi"],
  },
  { name: "components", holds: ["components/"], mayImport: ["model"] },
  { name: "stacks", holds: ["stacks/"], mayImport: ["components", "model"] },
  { name: "entry", holds: ["index.ts"], mayImport: ["stacks"] },
  // The offline tooling sits beside the blueprint (it loads the program by path, never by import).
  { name: "plan/engine", holds: ["plan/engine/"], mayImport: ["model", "policies/lib"] },
  { name: "plan/pack", holds: ["plan/pack/"], mayImport: ["model", "policies", "policies/lib"] },
  { name: "plan/report", holds: ["plan/report/"], mayImport: ["plan/engine", "plan/pack"] },
  {
    name: "plan/export",
    holds: ["plan/export/"],
    mayImport: ["plan/engine", "plan/pack", "plan/report", "policies/lib"],
  },
  {
    name: "plan/cli",
    holds: ["plan/cli.ts", "plan/cli/"],
    mayImport: ["plan/engine", "plan/pack", "plan/report", "plan/export", "model"],
  },
];

/** Folders whose TypeScript is checked; tests and benches may import any layer. */
const ROOTS = [
  "index.ts",
  "model",
  "functions",
  "components",
  "stacks",
  "plan",
  "policies",
  "bench",
  "test",
];
const UNLAYERED = ["test/", "bench/", "policies/scripts/"];

function sourceFiles(entry: string): string[] {
  const full = path.join(PROJECT_DIR, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return entry.endsWith(".ts") ? [entry] : [];
  return fs
    .readdirSync(full)
    .filter((name) => name !== "node_modules")
    .flatMap((name) => sourceFiles(path.posix.join(entry, name)));
}

interface Import {
  readonly from: string;
  readonly specifier: string;
  /** The repository file a relative import resolves to. */
  readonly file?: string;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, base, `${base}/index.ts`]) {
    const full = path.join(PROJECT_DIR, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  return undefined;
}

/** Every import, `require` and dynamic `import()` of a file, as TypeScript's pre-processor reads them. */
function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map(({ fileName }) =>
    fileName.startsWith(".")
      ? { from: file, specifier: fileName, file: resolveRelative(file, fileName) }
      : { from: file, specifier: fileName },
  );
}

export function layerOf(file: string): Layer | undefined {
  if (UNLAYERED.some((p) => file.startsWith(p))) return undefined;
  return LAYERS.find((l) =>
    l.holds.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p)),
  );
}

/** The package an import names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function declared(manifest: string, withDev: boolean): Set<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, manifest), "utf8")) as Record<
    string,
    Record<string, string> | undefined
  >;
  return new Set([
    ...Object.keys(pkg["dependencies"] ?? {}),
    ...(withDev ? Object.keys(pkg["devDependencies"] ?? {}) : []),
  ]);
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The cycles of a directed graph, each as the list of its files (Tarjan's strongly connected components). */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node))
        cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

describe("layers: imports point one way", () => {
  const files = ROOTS.flatMap(sourceFiles).sort();
  const imports = files.flatMap(importsOf);

  it("finds the blueprint, the tooling and the pack (a moved folder would empty this check)", () => {
    for (const layer of LAYERS)
      assert.ok(
        files.some((f) => layerOf(f) === layer),
        `no file is in layer ${layer.name}: update LAYERS after moving it`,
      );
  });

  it("every relative import names a file that exists", () => {
    const broken = imports.filter((i) => i.specifier.startsWith(".") && i.file === undefined);
    assert.deepEqual(
      broken.map((i) => `${i.from}: ${i.specifier}`),
      [],
    );
  });

  it("no layer imports a layer it may not (the blueprint never imports the offline tooling)", () => {
    const crossings: string[] = [];
    for (const i of imports) {
      const from = layerOf(i.from);
      const to = i.file === undefined ? undefined : layerOf(i.file);
      if (from === undefined || i.file === undefined) continue;
      if (to === undefined) {
        crossings.push(`${i.from} imports ${i.file}, which belongs to no layer`);
        continue;
      }
      if (to !== from && !from.mayImport.includes(to.name))
        crossings.push(`${i.from} (${from.name}) imports ${i.file} (${to.name})`);
    }
    assert.deepEqual(crossings, []);
  });

  it("the engine-neutral model imports no Pulumi SDK or resource module", () => {
    const offending = imports.filter((i) => {
      const layer = layerOf(i.from);
      if (!layer?.forbidPackages || i.specifier.startsWith(".")) return false;
      if (layer.allowSpecifiers?.includes(i.specifier)) return false;
      return layer.forbidPackages.some((p) => i.specifier === p || i.specifier.startsWith(`${p}/`));
    });
    assert.deepEqual(
      offending.map((i) => `${i.from} imports ${i.specifier}`),
      [],
    );
  });

  it("no module imports itself back through a circle of imports", () => {
    const graph = new Map<string, string[]>();
    for (const f of files) if (layerOf(f) !== undefined) graph.set(f, []);
    for (const i of imports)
      if (i.file !== undefined && graph.has(i.from) && graph.has(i.file))
        graph.get(i.from)!.push(i.file);
    assert.deepEqual(cyclesOf(graph), []);
  });

  it("every package the code imports is declared: the pack in policies/package.json, the rest in package.json", () => {
    const root = declared("package.json", false);
    const rootWithDev = declared("package.json", true);
    const pack = declared("policies/package.json", false);
    const undeclared: string[] = [];
    for (const i of imports) {
      if (i.specifier.startsWith(".") || BUILTINS.has(i.specifier)) continue;
      const name = packageOf(i.specifier);
      const layer = layerOf(i.from);
      const inPack = i.from.startsWith("policies/") && !i.from.startsWith("policies/scripts/");
      // Shipped code (the blueprint, the plan CLI, the pack) takes runtime dependencies only;
      // tests, benches and scripts may use development dependencies too.
      // Lambda handlers run on the Lambda runtime, which provides the AWS SDK: it is declared as
      // a development dependency (for tests and types) and nothing else may be imported there.
      const onLambda = layer?.name === "functions";
      if (onLambda && !name.startsWith("@aws-sdk/")) {
        undeclared.push(`${i.from} imports ${name}; a Lambda handler imports only @aws-sdk/*`);
        continue;
      }
      const allowed = inPack ? pack : layer === undefined || onLambda ? rootWithDev : root;
      if (!allowed.has(name))
        undeclared.push(
          `${i.from} imports ${name}, not in ${inPack ? "policies/package.json" : "package.json"} ${
            layer === undefined ? "dependencies or devDependencies" : "dependencies"
          }`,
        );
    }
    assert.deepEqual(undeclared, []);
  });
});

describe("layers: the checks themselves", () => {
  it("a cycle of two files is found, a chain is not", () => {
    const circle = new Map([
      ["a", ["b"]],
      ["b", ["a"]],
      ["c", ["a"]],
    ]);
    assert.deepEqual(cyclesOf(circle), [["a", "b"]]);
    assert.deepEqual(
      cyclesOf(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
      [],
    );
  });

  it("a component importing the stacks layer is a crossing", () => {
    const component = layerOf("components/tools/artifact-store.ts")!;
    assert.equal(component.name, "components");
    assert.ok(!component.mayImport.includes(layerOf("stacks/tools.ts")!.name));
    assert.ok(!layerOf("model/naming.ts")!.mayImport.includes("plan/engine"));
  });
});
