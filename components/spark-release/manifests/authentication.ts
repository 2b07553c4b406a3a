import type { IIoK8sApiCoreV1EnvVar as IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IIoK8sApiCoreV1VolumeMount as IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { ReleaseConfig } from "../../../lib/config/model";
import {
  secretEnv,
  secretManifest,
  type SecretManifest,
  secretKeysVolume,
  clientSecretManifests,
} from "../../../lib/kube/objects";
import {
  AUTH_SECRET_ENV,
  RPC_SECRET_DIR,
  SPARK_AUTH_KEYS,
} from "../../../lib/spark/authentication";

// A release's Spark authentication secret: for standalone the Secret its daemons and
// in-pod drivers read, the Secret each granted client namespace gets; for Connect the
// Secret its server and executors read as a file; and how pods mount them
// (lib/spark/authentication.ts says why each process gets it the way it does).
const SOURCE = "components/spark-release/manifests/authentication.ts";

/** What the release's authentication Secret holds: the secret, and a driver's spark-defaults. */
export interface ReleaseAuthData<V> {
  readonly secret: V;
  readonly driverDefaults: V;
}

/** What a client Secret holds: a driver's spark-defaults, and the authentication properties. */
export interface ClientAuthData<V> {
  readonly driverDefaults: V;
  readonly properties: V;
}

/** The release's own authentication Secret, in its namespace. */
export function releaseAuthSecret<V>(
  release: ReleaseConfig,
  data: ReleaseAuthData<V>,
): SecretManifest<V> {
  return secretManifest(
    release,
    "spark",
    release.names.sparkAuthSecret,
    `${SOURCE}#releaseAuthSecret`,
    {
      [SPARK_AUTH_KEYS.secret]: data.secret,
      [SPARK_AUTH_KEYS.driverDefaults]: data.driverDefaults,
    },
  );
}

/**
 * One Secret per granted client namespace (`releases[].clients`), the same name in each
 * (stack output `clientSecret`): a client pod mounts it and runs `spark-submit` with
 * `SPARK_CONF_DIR` at the mount (`spark-defaults.conf`), or adds `spark-auth.properties`
 * to a configuration of its own. Labelled with the release and the client label, so it
 * reads as the release's object placed for its clients; nothing else of the release lives
 * in a client namespace. None when the release grants no client.
 */
export function clientAuthSecrets<V>(
  release: ReleaseConfig,
  data: ClientAuthData<V>,
): SecretManifest<V>[] {
  return clientSecretManifests(
    release,
    "spark",
    release.names.sparkClientSecret,
    `${SOURCE}#clientAuthSecrets`,
    {
      [SPARK_AUTH_KEYS.driverDefaults]: data.driverDefaults,
      [SPARK_AUTH_KEYS.properties]: data.properties,
    },
  );
}

/** `_SPARK_AUTH_SECRET` of a master or worker, from the release's Secret. */
export function daemonAuthEnv(release: ReleaseConfig): IEnvVar {
  return secretEnv(AUTH_SECRET_ENV, release.names.sparkAuthSecret, SPARK_AUTH_KEYS.secret);
}

/**
 * A volume with only the driver's `spark-defaults.conf` of the release's Secret, and its
 * mount at `mountPath` (a driver's `SPARK_CONF_DIR`).
 */
export function driverConfVolume(
  release: ReleaseConfig,
  mountPath: string,
): { volume: IVolume; mount: IVolumeMount } {
  return secretKeysVolume(
    "spark-driver-conf",
    release.names.sparkAuthSecret,
    [SPARK_AUTH_KEYS.driverDefaults],
    mountPath,
  );
}

/**
 * A Connect release's authentication Secret, in its namespace: the secret alone (key
 * `secret`), which the server and its executors read as `spark.authenticate.secret.file`.
 * No client gets it: Connect clients never join the release's RPC.
 */
export function connectRpcSecret<V>(release: ReleaseConfig, secret: V): SecretManifest<V> {
  return secretManifest(
    release,
    "connect",
    release.names.sparkAuthSecret,
    `${SOURCE}#connectRpcSecret`,
    { [SPARK_AUTH_KEYS.secret]: secret },
  );
}

/**
 * A volume with only the secret of the release's authentication Secret, and its mount at
 * the directory `spark.authenticate.secret.file` names: the Connect server's pod and its
 * executors' template mount the same.
 */
export function rpcSecretFileVolume(release: ReleaseConfig): {
  volume: IVolume;
  mount: IVolumeMount;
} {
  return secretKeysVolume(
    "spark-rpc-auth",
    release.names.sparkAuthSecret,
    [SPARK_AUTH_KEYS.secret],
    RPC_SECRET_DIR,
  );
}
