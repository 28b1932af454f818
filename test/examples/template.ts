// The `pulumi new` template of the example application, generated from examples/orders-api:
// the same files, with the project's name and description as the `${PROJECT}` and
// `${DESCRIPTION}` placeholders `pulumi new` replaces in every file, and a `template:` section in
// Pulumi.yaml whose config entries are the prompts
// (https://www.pulumi.com/docs/iac/guides/building-extending/creating-templates/,
// https://github.com/pulumi/templates). `npm run template:example` writes it to
// templates/orders-api; test/examples/template.spec.ts fails when it is stale.
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
export const EXAMPLE_DIR = path.join(ROOT, "examples", "orders-api");
export const TEMPLATE_DIR = path.join(ROOT, "templates", "orders-api");

/** Directories never copied: installed packages and build output. */
const SKIP = new Set(["node_modules", "dist"]);

const NAME = "orders-api";
const DESCRIPTION = "Orders service (HTTP API, Lambda, DynamoDB) deployed by the CI/CD platform";

const TEMPLATE_SECTION = `template:
  displayName: Orders API for the CI/CD platform
  description: An HTTP API on Lambda keeping its data in DynamoDB, deployed by the platform's pulumi mechanism and passing its policy pack
  config:
    aws:region:
      description: The AWS region of your first stack (the platform's deploy build sets it per target)
      default: us-east-1
    platformPrefix:
      description: The platform's organization prefix (organization.prefix in the platform's Pulumi.yaml)
      default: acme
    alarmEmail:
      description: Address the service's alarms are sent to
`;

function replaceOnce(text: string, from: string, to: string, file: string): string {
  if (!text.includes(from)) throw new Error(`${file}: expected to contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** Every file of the example, relative path first, in a stable order. */
function exampleFiles(dir = EXAMPLE_DIR, prefix = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !SKIP.has(e.name))
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? exampleFiles(path.join(dir, e.name), rel) : [rel];
    })
    .sort();
}

/** The template's files and their content. */
export function templateFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of exampleFiles()) {
    let text = fs.readFileSync(path.join(EXAMPLE_DIR, rel), "utf8");
    if (rel === "Pulumi.yaml") {
      text = replaceOnce(text, `name: ${NAME}\n`, "name: ${PROJECT}\n", rel);
      text = replaceOnce(
        text,
        `description: ${DESCRIPTION}\n`,
        "description: ${DESCRIPTION}\n",
        rel,
      );
      text = `${text}${TEMPLATE_SECTION}`;
    } else if (rel === "package.json") {
      text = replaceOnce(text, `"name": "${NAME}"`, '"name": "${PROJECT}"', rel);
      text = replaceOnce(
        text,
        `"description": "${DESCRIPTION}"`,
        '"description": "${DESCRIPTION}"',
        rel,
      );
    } else if (rel === "README.md") {
      text = replaceOnce(text, `# ${NAME}\n`, "# ${PROJECT}\n\n${DESCRIPTION}\n", rel);
    }
    out.set(rel, text);
  }
  return out;
}

/** The files under the template directory now. */
export function writtenFiles(): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(TEMPLATE_DIR)) return out;
  const walk = (dir: string, prefix: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), rel);
      else out.set(rel, fs.readFileSync(path.join(dir, e.name), "utf8"));
    }
  };
  walk(TEMPLATE_DIR, "");
  return out;
}

/** Rewrites the template directory from the example. */
export function writeTemplate(): void {
  fs.rmSync(TEMPLATE_DIR, { recursive: true, force: true });
  for (const [rel, text] of templateFiles()) {
    const file = path.join(TEMPLATE_DIR, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

if (require.main === module) {
  writeTemplate();
  process.stdout.write(
    `Wrote ${path.relative(ROOT, TEMPLATE_DIR)} from ${path.relative(ROOT, EXAMPLE_DIR)}\n`,
  );
}
