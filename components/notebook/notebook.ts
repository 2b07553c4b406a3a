import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NotebookConfig, ReleaseConfig } from "../../lib/config/model";
import { secretDigests, withCredentialsDigest } from "../../lib/credentials/rollout";
import { childRegistrar } from "../../lib/kube/register";
import { notebookOutput } from "../../lib/contract/outputs";
import {
  notebookDeployment,
  notebookNetworkPolicy,
  notebookServiceAccount,
  notebookSessionConfigMap,
  notebookTokenSecret,
} from "./manifests";

export interface NotebookArgs {
  /** The validated `notebooks[i]`. */
  readonly notebook: NotebookConfig;
  /** The Connect release it is a client of (validated: active, granting its namespace). */
  readonly release: ReleaseConfig;
  /** The notebook's namespace, as the output of its Namespace resource when the platform made it. */
  readonly namespace: pulumi.Input<string>;
  /** The Jupyter login token (a secret Output; derived by the composition root). */
  readonly token: pulumi.Input<string>;
  /**
   * The release's client Secret in the notebook's namespace (token and CA): the pod mounts
   * it, so it is created first.
   */
  readonly connectClientSecret?: pulumi.Resource;
}

/**
 * JupyterLab for a Spark Connect release's clients: a granted client like any other (its
 * pod carries the client label, in a granted namespace, under a granted ServiceAccount),
 * whose kernels start with `spark` connected to the release over TLS with the release's
 * token. Its own login token comes from a Secret and cannot be turned off; nothing reaches
 * it over the network (users port-forward), and it reaches only DNS and its release.
 */
export class Notebook extends pulumi.ComponentResource {
  /** The notebook's own ServiceAccount, when `notebooks[].serviceAccount` named none. */
  public readonly serviceAccount?: k8s.core.v1.ServiceAccount;
  /** The Jupyter login token (key `token`). */
  public readonly tokenSecret: k8s.core.v1.Secret;
  /** The kernels' IPython config and Spark session script. */
  public readonly session: k8s.core.v1.ConfigMap;
  /** No ingress; egress to DNS and the release's Connect server and UIs. */
  public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
  /** JupyterLab, one replica. */
  public readonly deployment: k8s.apps.v1.Deployment;
  /** How a user reaches it: `kubectl -n <ns> port-forward deploy/<name> 8888:8888`. */
  public readonly portForward: pulumi.Output<string>;

  constructor(name: string, args: NotebookArgs, opts?: pulumi.ComponentResourceOptions) {
    super("spark-platform:notebook:Notebook", name, {}, opts);
    const { notebook, release } = args;

    const token = notebookTokenSecret(notebook, pulumi.secret(args.token));
    // JupyterLab reads its token file at start only: the pod rolls when the token changes.
    // The release's token is read by each new kernel, so a rotation needs no roll here.
    const digests = secretDigests(release, [token]);
    const register = childRegistrar(this, args.namespace, (manifest) =>
      withCredentialsDigest(manifest, digests),
    );
    const account = notebookServiceAccount(notebook);
    if (account) this.serviceAccount = register(account);
    this.tokenSecret = register(token);
    this.session = register(notebookSessionConfigMap(notebook));
    this.networkPolicy = register(notebookNetworkPolicy(notebook, release));
    this.deployment = register(notebookDeployment(notebook, release), [
      this.tokenSecret,
      this.session,
      this.networkPolicy,
      ...(this.serviceAccount ? [this.serviceAccount] : []),
      ...(args.connectClientSecret ? [args.connectClientSecret] : []),
    ]);
    this.portForward = pulumi.output(notebookOutput(notebook).portForward);

    this.registerOutputs({ portForward: this.portForward });
  }
}
