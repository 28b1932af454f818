// Picks the program for this stack's role. Config is validated first: a bad config throws a
// ConfigError listing every problem, and no resource is registered.
import { loadStackContext } from "./context";
import { toolsProgram } from "./tools";
import { workloadProgram } from "./workload";
import { bootstrapProgram } from "./bootstrap";

/** The blueprint's Pulumi program. */
export async function platformProgram(): Promise<Record<string, unknown>> {
  const ctx = loadStackContext();
  switch (ctx.role) {
    case "tools":
      return toolsProgram(ctx);
    case "workload":
      return workloadProgram(ctx);
    case "bootstrap":
      return bootstrapProgram(ctx);
  }
}
