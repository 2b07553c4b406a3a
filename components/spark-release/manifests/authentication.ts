import type { IIoK8sApiCoreV1EnvVar as IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IIoK8sApiCoreV1VolumeMount as IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { ReleaseConfig } from "../../../lib/config/model";
import {
  secretEnv,
  secretManifest,
  type SecretManifest,
  SECRET_FILE_MODE,
  clientSecretManifests,
} from "../../../lib/kube/objects";
import { AUTH_SECRET_ENV, SPARK_AUTH_KEYS } from "../../../lib/spark/authentication";

// A standalone release's Spark authentication secret: the Secret its daemons and in-pod
// drivers read, the Secret each granted client namespace gets, and how pods mount them
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
  const name = "spark-driver-conf";
  return {
    volume: {
      name,
      secret: {
        secretName: release.names.sparkAuthSecret,
        items: [{ key: SPARK_AUTH_KEYS.driverDefaults, path: SPARK_AUTH_KEYS.driverDefaults }],
        defaultMode: SECRET_FILE_MODE,
      },
    },
    mount: { name, mountPath, readOnly: true },
  };
}
