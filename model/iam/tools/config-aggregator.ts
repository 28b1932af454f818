// The tools account's Config aggregator with organization aggregation: the role Config assumes to
// list the organization's accounts. It holds the three read actions of the AWS managed policy
// AWSConfigRoleForOrganizations
// (https://docs.aws.amazon.com/config/latest/developerguide/set-up-aggregator-cli.html#add-an-aggregator-organization-cli),
// inline, so the role can do nothing else.
import { doc, PolicyDocument, ToolsScope } from "./documents";

/** Trust: Config of the tools account only. */
export function configAggregatorTrustPolicy(scope: ToolsScope): PolicyDocument {
  return doc({
    Sid: "ConfigAggregatesForTheToolsAccount",
    Effect: "Allow",
    Principal: { Service: "config.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": scope.toolsAccount } },
  });
}

/** What the aggregator role may do: read the organization's accounts. */
export function configAggregatorPolicy(): PolicyDocument {
  return doc({
    Sid: "ReadOrganizationAccounts",
    Effect: "Allow",
    Action: [
      "organizations:DescribeOrganization",
      "organizations:ListAWSServiceAccessForOrganization",
      "organizations:ListAccounts",
    ],
    Resource: "*",
  });
}
