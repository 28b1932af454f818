// The organization-wide bootstrap stack (organization.platform.bootstrap).
import { BootstrapContext } from "../model/config";

/** The bootstrap stack's program. */
export function bootstrapProgram(ctx: BootstrapContext): Promise<Record<string, unknown>> {
  return Promise.reject(new Error(`${ctx.stack}: the bootstrap stack is not built yet`));
}
