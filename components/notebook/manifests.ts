import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { NotebookConfig, ReleaseConfig } from "../../lib/config/model";
import { NOTEBOOK_TOKEN_KEY } from "../../lib/config/notebooks";
import {
  CLIENT_LABEL,
  CONFIG_HASH_ANNOTATION,
  NOTEBOOK_LABEL,
  SOURCE_ANNOTATION,
  TMP_MOUNT,
  TMP_VOLUME,
  containerSecurityContext,
  httpProbe,
  podSecurityContext,
  resources,
  secretKeysVolume,
  sha256,
  type SecretManifest,
} from "../../lib/kube/objects";
import { PORTS } from "../../lib/naming/names";
import { withPlacement } from "../../lib/kube/placement";
import { releaseEndpoints } from "../../lib/naming/endpoints";
import { CONNECT_CLIENT_KEYS, GRPC_ROOTS_ENV } from "../../lib/spark/connectAuthentication";
import { clusterDnsEgress, connectClientTarget } from "../spark-release/networkPolicies";
import {
  IPYTHON_SYSTEM_DIR,
  KERNEL_CONFIG,
  KERNEL_CONFIG_FILE,
  SESSION_ENV,
  SESSION_SCRIPT,
  SESSION_SCRIPT_FILE,
} from "./sessionScript";

const SOURCE = "components/notebook/manifests.ts";

/** JupyterLab's port: reached through `kubectl port-forward` only (ingress is denied). */
export const NOTEBOOK_PORT = PORTS.jupyter;
/** The image's user (uid 185, like the Spark images). */
const NOTEBOOK_UID = 185;
/** The user's home: notebooks, Jupyter's runtime files and settings (an emptyDir). */
export const NOTEBOOK_HOME = "/home/spark";
/** Where the Jupyter login token is mounted; JUPYTER_TOKEN_FILE names the file. */
export const JUPYTER_TOKEN_DIR = "/etc/jupyter-token";
/** The key of the notebook's token Secret. */
export const JUPYTER_TOKEN_KEY = NOTEBOOK_TOKEN_KEY;
/** Where the release's client Secret (token and CA) is mounted. */
export const CONNECT_CLIENT_MOUNT = "/etc/spark-connect-client";
/** Memory of the notebook pod: JupyterLab and a kernel holding pandas and pyarrow. */
const NOTEBOOK_MEMORY_MIB = 1024;

/**
 * Labels of a notebook's objects: recommended labels and the notebook's own. Never the
 * release label: the release's NetworkPolicies select by it, and a notebook is a client,
 * not a part of the release.
 */
export function notebookLabels(notebook: NotebookConfig): Record<string, string> {
  return {
    app: "jupyterlab",
    "app.kubernetes.io/name": "jupyterlab",
    "app.kubernetes.io/instance": notebook.name,
    "app.kubernetes.io/component": "notebook",
    "app.kubernetes.io/part-of": "spark-platform",
    "app.kubernetes.io/managed-by": "pulumi",
    [NOTEBOOK_LABEL]: notebook.name,
  };
}

function metadata(
  notebook: NotebookConfig,
  name: string,
  builder: string,
): IObjectMeta & { name: string; namespace: string } {
  return {
    name,
    namespace: notebook.namespace,
    labels: notebookLabels(notebook),
    annotations: { [SOURCE_ANNOTATION]: `${SOURCE}#${builder}` },
  };
}

/** The notebook's own ServiceAccount, when none was named (`createServiceAccount`). */
export function notebookServiceAccount(notebook: NotebookConfig): IServiceAccount | undefined {
  if (!notebook.createServiceAccount) return undefined;
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: metadata(notebook, notebook.serviceAccount, "notebookServiceAccount"),
    // The notebook needs no API access; its pod does not mount a token either.
    automountServiceAccountToken: false,
  };
}

/** The Jupyter login token, alone in its Secret (key `token`). */
export function notebookTokenSecret<V>(notebook: NotebookConfig, token: V): SecretManifest<V> {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: metadata(notebook, notebook.names.tokenSecret, "notebookTokenSecret"),
    type: "Opaque",
    stringData: { [JUPYTER_TOKEN_KEY]: token },
  };
}

/** The kernels' IPython config and session script: no credential, only where to read them. */
export function notebookSessionConfigMap(notebook: NotebookConfig): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadata(notebook, notebook.names.session, "notebookSessionConfigMap"),
    data: { [KERNEL_CONFIG_FILE]: KERNEL_CONFIG, [SESSION_SCRIPT_FILE]: SESSION_SCRIPT },
  };
}

/**
 * The notebook pod's only flows: no ingress at all (users come in through `kubectl
 * port-forward`, which no NetworkPolicy sees, so the Jupyter token is the guard there),
 * egress to the cluster DNS and to its release's Connect server and UIs, the ports the
 * release's `allow-clients` policy opens to its clients.
 */
export function notebookNetworkPolicy(
  notebook: NotebookConfig,
  release: ReleaseConfig,
): INetworkPolicy {
  const byName = (namespace: string) => ({
    matchLabels: { "kubernetes.io/metadata.name": namespace },
  });
  const target = connectClientTarget(release);
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata(notebook, notebook.names.notebook, "notebookNetworkPolicy"),
    spec: {
      podSelector: { matchLabels: { [NOTEBOOK_LABEL]: notebook.name } },
      policyTypes: ["Ingress", "Egress"],
      egress: [
        clusterDnsEgress(),
        {
          to: [{ namespaceSelector: byName(release.namespace), podSelector: target.pods }],
          ports: target.ports,
        },
      ],
    },
  };
}

/**
 * JupyterLab as a client of the release: the client label, the release's client Secret
 * mounted (its token and CA), kernels that start with `spark` connected, the login token
 * from the notebook's own Secret (JUPYTER_TOKEN_FILE: never env, never an argument, and no
 * argument can turn it off), Pod Security `restricted` with a read-only root filesystem,
 * and its release's placement.
 */
export function notebookDeployment(notebook: NotebookConfig, release: ReleaseConfig): IDeployment {
  const selector = { [NOTEBOOK_LABEL]: notebook.name };
  const jupyterToken = secretKeysVolume(
    "jupyter-token",
    notebook.names.tokenSecret,
    [JUPYTER_TOKEN_KEY],
    JUPYTER_TOKEN_DIR,
  );
  const connectClient = secretKeysVolume(
    "connect-client",
    release.names.connectClientSecret,
    [CONNECT_CLIENT_KEYS.token, CONNECT_CLIENT_KEYS.caCert],
    CONNECT_CLIENT_MOUNT,
  );
  const connectUrl = releaseEndpoints(release).connectUrl ?? "";
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(notebook, notebook.names.notebook, "notebookDeployment"),
    spec: {
      replicas: 1,
      // One user's home on an emptyDir: the old pod goes before the new one starts.
      strategy: { type: "Recreate" },
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: { ...notebookLabels(notebook), [CLIENT_LABEL]: release.name },
          annotations: {
            [SOURCE_ANNOTATION]: `${SOURCE}#notebookDeployment`,
            [CONFIG_HASH_ANNOTATION]: sha256(KERNEL_CONFIG + SESSION_SCRIPT),
          },
        },
        // A notebook runs where its release's pods do (a team's node pool, say).
        spec: withPlacement(
          {
            serviceAccountName: notebook.serviceAccount,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(NOTEBOOK_UID),
            containers: [
              {
                name: "jupyterlab",
                image: notebook.image,
                imagePullPolicy: "IfNotPresent",
                command: [
                  "python3",
                  "-m",
                  "jupyterlab",
                  "--no-browser",
                  "--ip=0.0.0.0",
                  `--port=${NOTEBOOK_PORT}`,
                  `--ServerApp.root_dir=${NOTEBOOK_HOME}`,
                ],
                ports: [{ name: "jupyter", containerPort: NOTEBOOK_PORT, protocol: "TCP" }],
                env: [
                  { name: "HOME", value: NOTEBOOK_HOME },
                  {
                    name: "JUPYTER_TOKEN_FILE",
                    value: `${JUPYTER_TOKEN_DIR}/${JUPYTER_TOKEN_KEY}`,
                  },
                  { name: SESSION_ENV.url, value: connectUrl },
                  {
                    name: SESSION_ENV.tokenFile,
                    value: `${CONNECT_CLIENT_MOUNT}/${CONNECT_CLIENT_KEYS.token}`,
                  },
                  { name: SESSION_ENV.release, value: release.name },
                  {
                    name: GRPC_ROOTS_ENV,
                    value: `${CONNECT_CLIENT_MOUNT}/${CONNECT_CLIENT_KEYS.caCert}`,
                  },
                ],
                // `/api` answers without a login (the server's version): the probe needs no token.
                readinessProbe: httpProbe(NOTEBOOK_PORT, "/api", 5, 5),
                resources: resources("100m", NOTEBOOK_MEMORY_MIB),
                securityContext: containerSecurityContext(),
                volumeMounts: [
                  { name: "home", mountPath: NOTEBOOK_HOME },
                  TMP_MOUNT,
                  jupyterToken.mount,
                  connectClient.mount,
                  { name: "ipython", mountPath: IPYTHON_SYSTEM_DIR, readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: "home", emptyDir: { sizeLimit: "1Gi" } },
              TMP_VOLUME,
              jupyterToken.volume,
              connectClient.volume,
              { name: "ipython", configMap: { name: notebook.names.session } },
            ],
          },
          release.placement,
        ),
      },
    },
  };
}
