// One evaluated or checked stack as text: its resources, pipelines and cross-account trust (the
// report's views) and its policy findings, most severe first.
import type { ReportResource, ReportStack } from "../report";
import { safeText } from "./safe-output";
import type { Palette } from "./terminal";

/** The name part of a URN, safe to print. */
function shortUrn(urn: string): string {
  const parts = urn.split("::");
  return safeText(parts[parts.length - 1] ?? urn);
}

/** Text lines of a stack's findings, most severe first. */
function renderFindings(stack: ReportStack, c: Palette): string[] {
  const lines: string[] = [];
  const mandatory = stack.findings.filter((f) => f.level === "mandatory");
  const advisory = stack.findings.filter((f) => f.level === "advisory");
  const head = `Policy findings: ${mandatory.length} mandatory, ${advisory.length} advisory`;
  const exempt = stack.exemptions.length
    ? `, ${stack.exemptions.length} exemption(s) applied from the policy config`
    : "";
  lines.push(
    mandatory.length || stack.policyErrors.length ? c.red(head + exempt) : c.green(head + exempt),
  );
  for (const f of [mandatory, advisory].flat()) {
    const level = f.level === "mandatory" ? c.red("mandatory") : c.yellow("advisory");
    lines.push(
      `  [${level}] ${safeText(f.policy)} (${safeText(f.severity)})${f.urn ? ` on ${shortUrn(f.urn)}` : ""}`,
    );
    lines.push(`    ${safeText(f.message)}`);
  }
  for (const e of stack.exemptions)
    lines.push(
      c.dim(`  [exempt] ${safeText(e.policy)} on ${shortUrn(e.urn)}: ${safeText(e.reason)}`),
    );
  for (const e of stack.policyErrors)
    lines.push(
      c.red(
        `  [policy error] ${safeText(e.policy)}${e.urn ? ` on ${shortUrn(e.urn)}` : ""}: ${safeText(e.message)}`,
      ),
    );
  return lines;
}

export async function renderStackBody(
  stack: ReportStack,
  resources: readonly ReportResource[],
  c: Palette,
  assumptions?: import("../report/views").DurationAssumptions,
): Promise<string[]> {
  const views = await import("../report/views");
  const recorded = resources as unknown as Parameters<typeof views.resourceGroups>[0];
  const lines: string[] = [];
  const section = (title: string, body: string[]) => {
    if (body.length === 0) return;
    lines.push(c.bold(title));
    for (const l of body) lines.push(`  ${safeText(l)}`);
  };
  section("Resources", views.renderGroups(views.resourceGroups(recorded)));
  section("Pipelines", views.renderPipelines(views.pipelineSummaries(recorded), assumptions));
  section("Cross-account trust", views.renderTrust(views.trustEdges(recorded)));
  section("Delivery metrics", views.renderDelivery(views.deliverySummary(recorded)));
  section("Compliance", views.renderCompliance(views.complianceSummary(recorded)));
  for (const l of renderFindings(stack, c)) lines.push(l);
  return lines;
}
