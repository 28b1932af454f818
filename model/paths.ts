// Where the blueprint's files are, whether its modules run from the TypeScript sources (Pulumi's
// own ts-node, the tests) or from the compiled copy in dist/ (the offline plan CLI): the nearest
// ancestor directory holding package.json, which dist/ never has.
import * as fs from "fs";
import * as path from "path";

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

/** The repository root: Pulumi.yaml, package.json, buildspecs/, policies/. */
export const REPO_ROOT: string = findRoot(__dirname);
