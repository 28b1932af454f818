// The role an EventBridge rule of the tools account uses: trusted by EventBridge for exactly that
// rule, it may only start one pipeline.
import { doc, PolicyDocument, ToolsScope } from "./documents";

/** Trust policy of the role EventBridge uses for exactly this rule of the tools account. */
export function eventRuleTrust(scope: ToolsScope, ruleArn: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": scope.toolsAccount, "aws:SourceArn": ruleArn },
    },
  });
}

/** What an EventBridge rule's role may do: start this one pipeline. */
export function startPipelinePolicy(pipelineArn: string): PolicyDocument {
  return doc({
    Sid: "StartPipeline",
    Effect: "Allow",
    Action: "codepipeline:StartPipelineExecution",
    Resource: pipelineArn,
  });
}
