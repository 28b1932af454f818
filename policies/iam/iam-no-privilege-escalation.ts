// Privilege escalation: permissions that let a principal give itself (or a role it controls) more
// permissions than it was granted. The paths follow Rhino Security Labs' list as extended by Pacu,
// cloudsplaining and Prowler. Combinations are evaluated across every statement of a document, and
// for a role across all its inline policies, because splitting a path over statements or policies
// does not make it safer.
import {
  allowedFor,
  configSchema,
  reasonedList,
  type BaseConfig,
  type ScopedEntry,
} from "../lib/config";
import {
  actionMatches,
  isAllActionsPattern,
  isAllow,
  isUnconditionalDenyEverywhere,
  parseSources,
  provablyMatchesAction,
  provablyUnconstrained,
  type Statement,
} from "../lib/iam";
import { resourcePolicy } from "../lib/policy";
import { IDENTITY_DOCUMENT_TYPES, identityDocumentSources, physicalNames } from "../lib/resources";

/** A privilege-escalation path: every step must be granted; a step is one of several actions. */
export interface EscalationPath {
  readonly id: string;
  /** What the holder can do, completing "a principal with these permissions can ...". */
  readonly impact: string;
  readonly steps: readonly (readonly string[])[];
}

const PASS = ["iam:PassRole"];

/** The escalation paths the pack knows. */
export const ESCALATION_PATHS: readonly EscalationPath[] = [
  {
    id: "create-policy-version",
    impact: "publish a new default version of a managed policy it is attached to",
    steps: [["iam:CreatePolicyVersion"]],
  },
  {
    id: "set-default-policy-version",
    impact: "switch a managed policy to an older, broader version",
    steps: [["iam:SetDefaultPolicyVersion"]],
  },
  {
    id: "attach-user-policy",
    impact: "attach any managed policy, AdministratorAccess included, to a user",
    steps: [["iam:AttachUserPolicy"]],
  },
  {
    id: "attach-group-policy",
    impact: "attach any managed policy to a group it belongs to",
    steps: [["iam:AttachGroupPolicy"]],
  },
  {
    id: "attach-role-policy",
    impact: "attach any managed policy to a role it can use",
    steps: [["iam:AttachRolePolicy"]],
  },
  {
    id: "put-user-policy",
    impact: "write an inline policy granting anything to a user",
    steps: [["iam:PutUserPolicy"]],
  },
  {
    id: "put-group-policy",
    impact: "write an inline policy granting anything to a group",
    steps: [["iam:PutGroupPolicy"]],
  },
  {
    id: "put-role-policy",
    impact: "write an inline policy granting anything to a role",
    steps: [["iam:PutRolePolicy"]],
  },
  {
    id: "update-assume-role-policy",
    impact: "rewrite a role's trust policy and assume the role",
    steps: [["iam:UpdateAssumeRolePolicy"]],
  },
  {
    id: "create-access-key",
    impact: "create access keys for other users and act as them",
    steps: [["iam:CreateAccessKey"]],
  },
  {
    id: "create-login-profile",
    impact: "set a console password for a user that has none and sign in as them",
    steps: [["iam:CreateLoginProfile"]],
  },
  {
    id: "update-login-profile",
    impact: "change another user's console password",
    steps: [["iam:UpdateLoginProfile"]],
  },
  {
    id: "add-user-to-group",
    impact: "add a user to a more privileged group",
    steps: [["iam:AddUserToGroup"]],
  },
  {
    id: "update-function-code",
    impact: "replace the code of a Lambda function and run with its role",
    steps: [["lambda:UpdateFunctionCode"]],
  },
  {
    id: "update-dev-endpoint",
    impact: "add an SSH key to a Glue development endpoint and use its role",
    steps: [["glue:UpdateDevEndpoint"]],
  },
  {
    id: "passrole-ec2",
    impact: "pass a role to a new EC2 instance and use its credentials",
    steps: [PASS, ["ec2:RunInstances"]],
  },
  {
    id: "passrole-lambda",
    impact: "pass a role to a new Lambda function and run it",
    steps: [
      PASS,
      ["lambda:CreateFunction"],
      ["lambda:InvokeFunction", "lambda:CreateEventSourceMapping", "lambda:AddPermission"],
    ],
  },
  {
    id: "passrole-cloudformation",
    impact: "pass a role to a CloudFormation stack that creates anything",
    steps: [PASS, ["cloudformation:CreateStack"]],
  },
  {
    id: "passrole-codebuild",
    impact: "pass a role to a new CodeBuild project and run a build with it",
    steps: [
      PASS,
      ["codebuild:CreateProject"],
      ["codebuild:StartBuild", "codebuild:StartBuildBatch"],
    ],
  },
  {
    id: "passrole-ecs",
    impact: "pass a role to an ECS task definition and run it",
    steps: [
      PASS,
      ["ecs:RegisterTaskDefinition"],
      ["ecs:RunTask", "ecs:CreateService", "ecs:StartTask"],
    ],
  },
  {
    id: "passrole-glue",
    impact: "pass a role to a Glue development endpoint or job",
    steps: [PASS, ["glue:CreateDevEndpoint", "glue:CreateJob"]],
  },
  {
    id: "passrole-sagemaker",
    impact: "pass a role to a SageMaker notebook or job",
    steps: [
      PASS,
      [
        "sagemaker:CreateNotebookInstance",
        "sagemaker:CreateTrainingJob",
        "sagemaker:CreateProcessingJob",
      ],
    ],
  },
  {
    id: "passrole-datapipeline",
    impact: "pass a role to a Data Pipeline that runs commands",
    steps: [PASS, ["datapipeline:CreatePipeline"]],
  },
  {
    id: "cloudformation-change-set",
    impact: "run a change set with an existing stack's service role",
    steps: [["cloudformation:CreateChangeSet"], ["cloudformation:ExecuteChangeSet"]],
  },
  {
    id: "ssm-send-command",
    impact: "run commands on instances and use their roles",
    steps: [["ssm:SendCommand"]],
  },
  {
    id: "ssm-start-session",
    impact: "open a shell on instances and use their roles",
    steps: [["ssm:StartSession"]],
  },
];

export interface PrivilegeEscalationConfig extends BaseConfig {
  readonly allowedPaths: readonly (ScopedEntry & { readonly path: string })[];
}

/** A path that the statements complete, with the statement that grants each step. */
export interface EscalationMatch {
  readonly path: EscalationPath;
  readonly grants: readonly { readonly action: string; readonly statement: Statement }[];
}

/**
 * The escalation paths that `statements` (taken together) complete. A statement counts when it is
 * an Allow that is not constrained (see lib/iam.ts); an action removed by an unconditional Deny on
 * every resource does not count.
 */
export function findEscalationPaths(
  statements: readonly Statement[],
  paths: readonly EscalationPath[] = ESCALATION_PATHS,
): EscalationMatch[] {
  const counting = statements.filter((s) => isAllow(s) && provablyUnconstrained(s));
  const denying = statements.filter(isUnconditionalDenyEverywhere);
  // Admin patterns ("*") are left to iam-no-admin-statements, so they do not complete paths here.
  const grants = (s: Statement, action: string): boolean =>
    s.action
      ? s.action.known.some((p) => escalationActionMatches(p, action))
      : provablyMatchesAction(s, action);
  // The first counting statement that grants each action of the known paths, in one pass.
  const firstGrant = new Map<string, Statement>();
  for (const s of counting) {
    const granted = s.action
      ? s.action.known.flatMap((p) => [...pathActionsOf(p)])
      : [...PATH_ACTIONS].filter((a) => provablyMatchesAction(s, a));
    for (const a of granted) if (!firstGrant.has(a)) firstGrant.set(a, s);
  }
  const grantOf = (action: string): Statement | undefined =>
    denying.some((s) => provablyMatchesAction(s, action))
      ? undefined
      : PATH_ACTIONS.has(action)
        ? firstGrant.get(action)
        : counting.find((s) => grants(s, action));
  const matches: EscalationMatch[] = [];
  for (const path of paths) {
    const granted: { action: string; statement: Statement }[] = [];
    for (const step of path.steps) {
      for (const action of step) {
        const statement = grantOf(action);
        if (statement) {
          granted.push({ action, statement });
          break;
        }
      }
    }
    if (granted.length === path.steps.length) matches.push({ path, grants: granted });
  }
  return matches;
}

/** Every action some known path names: the actions whose matches are remembered per pattern. */
const PATH_ACTIONS: ReadonlySet<string> = new Set(ESCALATION_PATHS.flatMap((p) => p.steps.flat()));
const pathActionsByPattern = new Map<string, ReadonlySet<string>>();

/**
 * The known paths' actions that an Action pattern grants for escalation purposes: those it
 * matches, none for an admin pattern. Patterns repeat across a stack's documents, so each is
 * worked out once.
 */
function pathActionsOf(pattern: string): ReadonlySet<string> {
  let granted = pathActionsByPattern.get(pattern);
  if (granted === undefined) {
    granted = isAllActionsPattern(pattern)
      ? new Set()
      : new Set([...PATH_ACTIONS].filter((a) => actionMatches(pattern, a)));
    if (pathActionsByPattern.size > 10_000) pathActionsByPattern.clear();
    pathActionsByPattern.set(pattern, granted);
  }
  return granted;
}

/** True when the Action pattern grants `action`: it matches and is not an admin pattern. */
function escalationActionMatches(pattern: string, action: string): boolean {
  return PATH_ACTIONS.has(action)
    ? pathActionsOf(pattern).has(action)
    : !isAllActionsPattern(pattern) && actionMatches(pattern, action);
}

/**
 * The granted actions of a match, each with where it is granted: `a (x), b (y) and c (z)`. By
 * default a statement is named by its label; `source` names it otherwise.
 */
export function grantList(
  match: EscalationMatch,
  source: (statement: Statement) => string = (s) => s.label,
): string {
  const parts = match.grants.map((g) => `${g.action} (${source(g.statement)})`);
  return parts.length === 1
    ? parts[0]
    : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** The message for one match. */
export function escalationMessage(match: EscalationMatch): string {
  return `Privilege escalation "${match.path.id}": grants ${grantList(match)}, so the holder can ${match.path.impact}.`;
}

export const iamNoPrivilegeEscalation = resourcePolicy<PrivilegeEscalationConfig>({
  name: "iam-no-privilege-escalation",
  family: "iam",
  description:
    "Flags identity policies that complete a known privilege-escalation path (iam:CreatePolicyVersion, iam:PutRolePolicy, iam:PassRole with lambda:CreateFunction and lambda:InvokeFunction, ...), combining all statements of a document and all inline policies of a role. A statement constrained by specific resource ARNs and a Condition (for example iam:PermissionsBoundary) does not count. All paths found on one resource are reported in one message.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove one step of the path, or constrain it: name the resources (role, policy or function ARNs) and add a Condition such as iam:PermissionsBoundary or iam:PassedToService; allow-list a path id in this policy's config only with a reason.",
  configSchema: configSchema({
    allowedPaths: reasonedList(
      "path",
      "Escalation path ids (for example passrole-lambda) accepted, each with the reason; with `resources`, only for those resources.",
      true,
    ),
  }),
  resourceTypes: IDENTITY_DOCUMENT_TYPES,
  check: (r, config) => {
    const allowed = new Set(
      allowedFor(config.allowedPaths, "path", [r.name, r.urn, ...physicalNames(r.props)]),
    );
    const statements = parseSources(identityDocumentSources(r.type, r.props)).flatMap(
      (d) => d.statements,
    );
    const matches = findEscalationPaths(
      statements,
      ESCALATION_PATHS.filter((p) => !allowed.has(p.id)),
    );
    return matches.length === 0 ? [] : [matches.map(escalationMessage).join(" ")];
  },
});
