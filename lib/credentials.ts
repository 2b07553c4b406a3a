import { createHmac } from "node:crypto";

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
