import { createHash, createHmac, scryptSync } from "node:crypto";

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

/** Renders evaluate the program repeatedly with the same secrets: compute each digest once. */
const digestMemo = new Map<string, string>();

/**
 * Digest of a Secret's data for a pod-template annotation, so pods roll exactly when the
 * credentials they hold change. scrypt (N = 2^15, r = 8: ~32 MiB and tens of ms per
 * guess) salted with the Secret's identity: the annotation is readable by anyone who may
 * read the Deployment, and a plain or keyed hash of a short password could be inverted by
 * trying candidates (an HMAC keyed with the secret itself costs a guesser nothing more).
 * Same data and salt, same digest; nothing of the data can be read from it.
 */
export function secretDataDigest(salt: string, data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((key) => [key, data[key]]),
  );
  const memo = createHash("sha256").update(salt).update("\0").update(canonical).digest("hex");
  let digest = digestMemo.get(memo);
  if (digest === undefined) {
    digest = scryptSync(canonical, `spark-platform/credentials/${salt}`, 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    }).toString("hex");
    digestMemo.set(memo, digest);
  }
  return digest;
}

/** One annotation value from the digests of the Secrets a pod reads, by Secret name. */
export function combinedDigest(digests: Readonly<Record<string, string>>): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(digests).sort()) hash.update(`${name}=${digests[name]}\n`);
  return hash.digest("hex");
}
