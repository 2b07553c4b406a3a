import type { ReleaseConfig } from "../../lib/config/model";
import { RELEASE_LABEL } from "../../lib/kube/objects";

/**
 * Executor pods left by an earlier run of this Connect server's container, deleted before
 * the server starts again. Executors are owned by the server's pod, so deleting the pod
 * deletes them; but a container restarted in place (its node restarted, an OOM kill, a
 * failed liveness probe) keeps the pod, and its old executors stay behind as pods of a
 * dead application: their JVMs exit once the driver is gone, their pods never go. At
 * container start no executor of this pod can be the new run's yet, so every executor
 * pod of the release that this pod owns (by uid) is an orphan.
 *
 * Python from the image (the server's account may list and delete pods already, for
 * Spark); `KUBE_API_URL`, `KUBE_TOKEN_FILE` and `KUBE_CA_FILE` point elsewhere in tests.
 * Arguments: namespace, release, pod uid. Prints one line per deleted pod.
 */
export const ORPHAN_EXECUTOR_CLEANUP_PY = String.raw`
import json, os, ssl, sys, urllib.parse, urllib.request
namespace, release, uid = sys.argv[1:4]
api = os.environ.get("KUBE_API_URL", "https://kubernetes.default.svc")
account = "/var/run/secrets/kubernetes.io/serviceaccount"
bearer = "Bearer " + open(os.environ.get("KUBE_TOKEN_FILE", account + "/token")).read().strip()
tls = ssl.create_default_context(cafile=os.environ.get("KUBE_CA_FILE", account + "/ca.crt")) if api.startswith("https:") else None
def call(method, path):
    request = urllib.request.Request(api + path, method=method, headers={"Authorization": bearer})
    with urllib.request.urlopen(request, context=tls, timeout=10) as response:
        return json.load(response)
selector = urllib.parse.quote("spark-role=executor,%s=%s" % (sys.argv[4], release))
pods = call("GET", "/api/v1/namespaces/%s/pods?labelSelector=%s" % (namespace, selector))["items"]
for pod in pods:
    if any(owner.get("uid") == uid for owner in pod["metadata"].get("ownerReferences", [])):
        name = pod["metadata"]["name"]
        call("DELETE", "/api/v1/namespaces/%s/pods/%s" % (namespace, name))
        print("deleted executor pod %s, left by an earlier run of this server" % name)
`;

/**
 * The start-up lines that run the cleanup; a failure is reported and the server starts
 * anyway (an orphan is clutter, a server that does not start is an outage).
 */
export function orphanExecutorCleanup(release: ReleaseConfig, podUidVariable: string): string[] {
  return [
    `python3 - "${release.namespace}" "${release.name}" "\${${podUidVariable}}" "${RELEASE_LABEL}" <<'PY' || echo "could not delete executor pods of an earlier run; starting anyway" >&2`,
    ORPHAN_EXECUTOR_CLEANUP_PY.trim(),
    "PY",
  ];
}
