// The policy pack entry point, run by `pulumi preview --policy-pack policies` and
// `pulumi policy publish`. This is the only module that constructs a PolicyPack: the constructor
// starts a gRPC server and reads package.json from the working directory, so nothing else may
// import this file.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies, packDefaults } from "./all";

new PolicyPack(packDefaults.name, {
  description: packDefaults.description,
  enforcementLevel: packDefaults.enforcementLevel,
  policies: [...allPolicies],
});
