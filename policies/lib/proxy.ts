// The preview proxy of @pulumi/policy, loaded from its own module. The package's index also loads
// the policy-pack server and with it the whole Pulumi SDK (about half a second), which a policy
// never needs and `cicd-plan check` should not pay for. The proxy module's published typings are
// empty (its exports are marked internal), so the types are declared here.
import * as proxyModule from "@pulumi/policy/proxy";

interface ProxyModule {
  /** Wraps resource properties so that reading a value unknown during preview throws. */
  unknownCheckingProxy<T extends object>(value: T): T;
  /** What the proxy throws when an unknown value is read. */
  UnknownValueError: new (message?: string) => Error;
}

const proxy = proxyModule as unknown as ProxyModule;

export const unknownCheckingProxy = proxy.unknownCheckingProxy;
export const UnknownValueError = proxy.UnknownValueError;
