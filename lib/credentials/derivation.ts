import { createHash, createHmac } from "node:crypto";

/**
 * Password of a metastore's PostgreSQL role, derived from the admin password with
 * HMAC-SHA256 over the release and role. Nothing is stored or defaulted: without the
 * admin secret there is no password, rotating the admin secret rotates every role
 * password (the Role and Secret update in place), and no two releases share one.
 */
export function deriveMetastorePassword(
  adminPassword: string,
  release: string,
  role: string,
): string {
  return createHmac("sha256", adminPassword)
    .update(`spark-platform/metastore/${release}/${role}`)
    .digest("base64url")
    .slice(0, 40);
}

/**
 * Spark authentication secret of a release: standalone, `spark.authenticate.secret`, shared
 * by its master, workers, executors and every driver of its clients; Connect, the
 * `spark.authenticate.secret.file` of its server and executors. Derived from the
 * stack's Spark authentication key with HMAC-SHA256 over the release, as the metastore
 * passwords derive from the admin password: nothing per release is stored, no two
 * releases share one, and replacing the key (platform/sparkAuthKey.ts) rotates every
 * release's secret. base64url, so it needs no escaping in a properties file.
 */
export function deriveSparkAuthSecret(authKey: string, release: string): string {
  if (authKey.length === 0) throw new Error("the Spark authentication key is empty");
  return createHmac("sha256", authKey)
    .update(`spark-platform/spark-authenticate/${release}`)
    .digest("base64url");
}

/** Bytes of the platform's digest key (platform/digestKey.ts draws 32 at random). */
export const DIGEST_KEY_BYTES = 32;

/**
 * Digest of a Secret's data for a pod-template annotation, so pods roll exactly when the
 * credentials they hold change. The annotation is readable by anyone who may read the
 * Deployment, and a plain hash of a short password (or an HMAC keyed with the password
 * itself) could be inverted by trying candidates. This is HMAC-SHA256 keyed with the
 * platform's digest key: 32 random bytes the stack holds as a secret and nothing else
 * uses. Without the key a digest reveals nothing of the data and no candidate can be
 * tested against it; with the same key, the same data and Secret identity (`salt`) give
 * the same digest on every run. Microseconds per digest, so nothing is memoized.
 */
export function secretDataDigest(
  key: string,
  salt: string,
  data: Readonly<Record<string, string>>,
): string {
  const keyBytes = Buffer.from(key, "hex");
  if (keyBytes.length !== DIGEST_KEY_BYTES || keyBytes.toString("hex") !== key.toLowerCase()) {
    throw new Error(`the credentials digest key must be ${DIGEST_KEY_BYTES} bytes in hex`);
  }
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((name) => [name, data[name]]),
  );
  return createHmac("sha256", keyBytes)
    .update(`spark-platform/credentials/${salt}`)
    .update("\0")
    .update(canonical)
    .digest("hex");
}

/** One annotation value from the digests of the Secrets a pod reads, by Secret name. */
export function combinedDigest(digests: Readonly<Record<string, string>>): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(digests).sort()) hash.update(`${name}=${digests[name]}\n`);
  return hash.digest("hex");
}

/**
 * Authentication token of a Spark Connect release (`spark.connect.authenticate.token`,
 * held by its server and by the Secret of each granted client namespace), derived from the
 * same stack key as the standalone secrets with its own label, so it never equals a
 * standalone release's secret, and replacing the key (platform/sparkAuthKey.ts) rotates it
 * too. base64url, so it needs no escaping in a properties file or a `sc://` URL.
 */
export function deriveConnectToken(authKey: string, release: string): string {
  if (authKey.length === 0) throw new Error("the Spark authentication key is empty");
  return createHmac("sha256", authKey)
    .update(`spark-platform/spark-connect-token/${release}`)
    .digest("base64url");
}

/**
 * Login token of a notebook's JupyterLab (components/notebook), derived from the same stack
 * key with its own label over the notebook's namespace and name: no two notebooks share
 * one, none equals a release's secret or token, and replacing the key rotates it.
 */
export function deriveNotebookToken(authKey: string, namespace: string, name: string): string {
  if (authKey.length === 0) throw new Error("the Spark authentication key is empty");
  return createHmac("sha256", authKey)
    .update(`spark-platform/notebook-token/${namespace}/${name}`)
    .digest("base64url");
}
