// The StackSet template file of the repository (bootstrap/platform-bootstrap.yaml): read for the
// StackSet, rewritten from the model documents when they change.
import * as fs from "fs";
import * as path from "path";
import { BOOTSTRAP_TEMPLATE_PATH, renderBootstrapTemplate } from "../../model/iam/bootstrap";
import { REPO_ROOT } from "../../model/paths";

/** The repository root, from the sources and from their compiled copy in dist/ alike. */
const ROOT = REPO_ROOT;

/** The committed template text. */
export function readBootstrapTemplate(root = ROOT): string {
  return fs.readFileSync(path.join(root, BOOTSTRAP_TEMPLATE_PATH), "utf8");
}

/** Rewrites the committed template from the model documents. */
export function writeBootstrapTemplate(root = ROOT): void {
  fs.writeFileSync(path.join(root, BOOTSTRAP_TEMPLATE_PATH), renderBootstrapTemplate());
}
