// The IAM a deployment may use: read anything, change roles, users, policies and instance
// profiles only under the application path, and create principals only with the boundary.
import { environmentNames } from "../../naming";
import {
  boundaryArn,
  doc,
  iamArn,
  PolicyDocument,
  PolicyStatement,
  WorkloadPolicyInputs,
} from "./documents";

/** IAM actions on an existing principal that AWS checks against `iam:PermissionsBoundary`. */
const BOUNDED_ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
];
const BOUNDED_USER_ACTIONS = [
  "iam:CreateUser",
  "iam:PutUserPolicy",
  "iam:AttachUserPolicy",
  "iam:DeleteUserPolicy",
  "iam:DetachUserPolicy",
  "iam:PutUserPermissionsBoundary",
];

/** IAM a deployment may use: everything under the application path, principals only with the boundary. */
export function boundedIamStatements(i: WorkloadPolicyInputs): PolicyStatement[] {
  const path = environmentNames(i.prefix, i.environment).applicationIamPath;
  const boundary = { StringEquals: { "iam:PermissionsBoundary": boundaryArn(i) } };
  return [
    {
      Sid: "ReadIam",
      Effect: "Allow",
      Action: ["iam:Get*", "iam:List*"],
      Resource: "*",
    },
    {
      Sid: "ApplicationRolesOnlyWithBoundary",
      Effect: "Allow",
      Action: [...BOUNDED_ROLE_ACTIONS, ...BOUNDED_USER_ACTIONS],
      Resource: [iamArn(i, "role", `${path}*`), iamArn(i, "user", `${path}*`)],
      Condition: boundary,
    },
    {
      Sid: "ManageApplicationIam",
      Effect: "Allow",
      Action: [
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:DeleteUser",
        "iam:TagUser",
        "iam:UntagUser",
        "iam:CreatePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      Resource: [
        iamArn(i, "role", `${path}*`),
        iamArn(i, "user", `${path}*`),
        iamArn(i, "policy", `${path}*`),
        iamArn(i, "instance-profile", `${path}*`),
      ],
    },
    {
      Sid: "PassOnlyApplicationRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: iamArn(i, "role", `${path}*`),
    },
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: [
        "iam:CreateServiceLinkedRole",
        "iam:DeleteServiceLinkedRole",
        "iam:GetServiceLinkedRoleDeletionStatus",
      ],
      Resource: iamArn(i, "role", "/aws-service-role/*"),
    },
  ];
}

/** Deploy and CloudFormation execution roles: IAM only under the application path and boundary. */
export function boundedIamPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  return doc(...boundedIamStatements(i));
}
