// Entry point for `pulumi up` / `pulumi preview`: validates this stack's config, then runs the
// program of its role (tools or workload) as set by `cicd-platform:role` in Pulumi.<stack>.yaml.
import { platformProgram } from "./stacks";

export = platformProgram;
