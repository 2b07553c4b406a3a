import { claimReferences } from "./claims";
import { clientAccess } from "./clients";
import { connectAuthentication } from "./connectAuthentication";
import { disruptionBudgets } from "./disruptionBudgets";
import { egressDestinations } from "./egress";
import { historyIsolation } from "./history";
import { metastoreIsolation } from "./metastore";
import { metricsAccess } from "./metrics";
import { namespaceLayout, type NamespaceLayout } from "./namespaces";
import { networkIsolation } from "./network";
import { notebookAccess } from "./notebooks";
import type { ClusterObjects } from "./objects";
import { rbacSeparation } from "./rbac";
import { rpcAuthentication } from "./rpcAuthentication";
import type { CheckResult } from "./result";
import { secretReferences } from "./secrets";
import { secretsAsFiles } from "./secretFiles";
import { serviceIsolation } from "./services";

export interface VerifyOptions {
  readonly layout?: NamespaceLayout;
}

/** Every check, in the order the table prints them. */
export function verifyObjects(objects: ClusterObjects, options: VerifyOptions = {}): CheckResult[] {
  return [
    ...serviceIsolation(objects),
    ...metastoreIsolation(objects),
    ...secretReferences(objects),
    ...secretsAsFiles(objects),
    ...rpcAuthentication(objects),
    ...connectAuthentication(objects),
    ...claimReferences(objects),
    ...historyIsolation(objects),
    ...rbacSeparation(objects),
    ...networkIsolation(objects),
    ...clientAccess(objects),
    ...notebookAccess(objects),
    ...metricsAccess(objects),
    ...egressDestinations(objects),
    ...namespaceLayout(objects, options.layout),
    ...disruptionBudgets(objects),
  ];
}
