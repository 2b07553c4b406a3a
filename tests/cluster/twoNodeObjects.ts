// Objects of the two-node live check (twoNodes.test.ts), pure: pods pinned to a node with a
// small HTTP server (python3 of the pyspark-client stand-in), Services, the NetworkPolicy
// of the negative control, and a Deployment spread over the nodes with its
// PodDisruptionBudget. Pod Security restricted, like every pod the live suite starts.
import {
  containerSecurityContext,
  podSecurityContext,
  TMP_MOUNT,
  TMP_VOLUME,
} from "../../lib/kube/objects";
import { CLIENT_UID, PYSPARK_CLIENT_IMAGE } from "./clients";

type Obj = Record<string, unknown>;

/** The port every server of the check listens on, and the one its Services expose. */
export const SERVER_PORT = 8080;
export const SERVICE_PORT = 80;
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

const serverContainer = {
  name: "server",
  image: PYSPARK_CLIENT_IMAGE,
  imagePullPolicy: "Never",
  command: ["python3", "-m", "http.server", String(SERVER_PORT), "--directory", "/tmp"],
  ports: [{ name: "http", containerPort: SERVER_PORT }],
  readinessProbe: { tcpSocket: { port: SERVER_PORT }, periodSeconds: 2 },
  resources: { requests: { cpu: "10m", memory: "48Mi" }, limits: { memory: "96Mi" } },
  securityContext: containerSecurityContext(),
  volumeMounts: [TMP_MOUNT],
};

const podSpec = (extra: Obj): Obj => ({
  automountServiceAccountToken: false,
  enableServiceLinks: false,
  terminationGracePeriodSeconds: 2,
  securityContext: podSecurityContext(CLIENT_UID),
  containers: [serverContainer],
  volumes: [TMP_VOLUME],
  ...extra,
});

/** A server pod on the named node (nodeSelector on kubernetes.io/hostname), labelled
 * `app: web, side: <side>`. */
export function serverPod(namespace: string, side: string, node: string): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `web-${side}`, namespace, labels: { app: "web", side } },
    spec: podSpec({ nodeSelector: { [HOSTNAME_LABEL]: node } }),
  };
}

/** Service `web-<side>` in front of that side's pod. */
export function sideService(namespace: string, side: string): Obj {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `web-${side}`, namespace },
    spec: {
      selector: { app: "web", side },
      ports: [{ name: "http", port: SERVICE_PORT, targetPort: SERVER_PORT }],
    },
  };
}

/** Into side `to`'s pod only from side `from`'s pod: matched by the source pod's address,
 * so it admits a pod on another node only if that node left the address alone. */
export function onlyFrom(namespace: string, to: string, from: string): Obj {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `into-${to}-only-from-${from}`, namespace },
    spec: {
      podSelector: { matchLabels: { side: to } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: { side: from } } }] }],
    },
  };
}

export const SPREAD_APP = "spread";

/** Two replicas, one per node: a topology spread on the hostname that refuses skew, so a
 * replica evicted from a cordoned node waits (Pending) instead of joining the other. */
export function spreadDeployment(namespace: string): Obj {
  const labels = { app: SPREAD_APP };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: SPREAD_APP, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: podSpec({
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: HOSTNAME_LABEL,
              whenUnsatisfiable: "DoNotSchedule",
              labelSelector: { matchLabels: labels },
            },
          ],
        }),
      },
    },
  };
}

export function spreadBudget(namespace: string, minAvailable: number): Obj {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: SPREAD_APP, namespace },
    spec: { minAvailable, selector: { matchLabels: { app: SPREAD_APP } } },
  };
}

/** Python run by `kubectl exec` in a server pod: exit 0 when host:port accepts within 3 s. */
export function connectScript(host: string, port: number): string {
  return `import socket; socket.create_connection((${JSON.stringify(host)}, ${port}), 3).close()`;
}

/** Python that resolves a name through the pod's resolver (CoreDNS) and prints it. */
export function resolveScript(name: string): string {
  return `import socket; print(socket.gethostbyname(${JSON.stringify(name)}))`;
}

/** Ready node names from `kubectl get nodes -o json` items. */
export function readyNodes(items: readonly Obj[]): string[] {
  return items
    .filter((item) => {
      const conditions = ((item["status"] as Obj | undefined)?.["conditions"] ?? []) as {
        type: string;
        status: string;
      }[];
      return conditions.some((c) => c.type === "Ready" && c.status === "True");
    })
    .map((item) => (item["metadata"] as { name: string }).name);
}
