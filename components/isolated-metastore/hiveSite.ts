import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { metastoreJdbcUrl } from "../../lib/naming/endpoints";
import { PORTS } from "../../lib/naming/names";
import { s3aSettings } from "../../lib/spark/s3a";
import { hiveHadoopLine } from "../../lib/spark/versions";

/**
 * Where the metastore and schema-init pods mount the database Secret's password file
 * (DB_PASSWORD_FILE_KEY), a Hadoop configuration file that hive-site.xml includes.
 */
export const DB_PASSWORD_DIR = "/etc/hive-db";
/** Key of the metastore's database Secret holding connectionPasswordXml. */
export const DB_PASSWORD_FILE_KEY = "connection-password.xml";
export const DB_PASSWORD_PATH = `${DB_PASSWORD_DIR}/${DB_PASSWORD_FILE_KEY}`;

/**
 * hive-site.xml of one release's metastore: its own database and role, schema
 * verification on (a metastore never adapts a schema it does not match), and no
 * password: hiveSiteXml includes the password file from the Secret, so the ConfigMap
 * holds no credential and no process gets it in its environment.
 */
export function hiveSite(config: PlatformConfig, release: ReleaseConfig): Record<string, string> {
  const site: Record<string, string> = {
    "javax.jdo.option.ConnectionURL": metastoreJdbcUrl(config, release),
    "javax.jdo.option.ConnectionDriverName": "org.postgresql.Driver",
    "javax.jdo.option.ConnectionUserName": release.metastore.role,
    "hive.metastore.schema.verification": "true",
    "metastore.schema.verification": "true",
    "datanucleus.schema.autoCreateAll": "false",
    "hive.metastore.port": String(PORTS.metastoreThrift),
    "metastore.thrift.port": String(PORTS.metastoreThrift),
    "hive.metastore.warehouse.dir": release.warehouseDir,
    "metastore.warehouse.dir": release.warehouseDir,
    "hive.metastore.event.db.notification.api.auth": "false",
  };
  // The metastore runs the Hive image's Hadoop (3.3.x), not its Spark release's.
  return {
    ...site,
    ...s3aSettings(config.objectStore, hiveHadoopLine(release.metastore.hiveVersion)),
  };
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * A Hadoop configuration file. `includes`: absolute paths of files merged in with
 * XInclude, which Hadoop's Configuration resolves when it reads the file; a missing one
 * fails the read naming the path (there is no xi:fallback).
 */
export function renderHadoopXml(
  properties: Readonly<Record<string, string>>,
  includes: readonly string[] = [],
): string {
  const included = includes.map((href) => `  <xi:include href="${escapeXml(href)}"/>`);
  const root = includes.length
    ? `<configuration xmlns:xi="http://www.w3.org/2001/XInclude">`
    : "<configuration>";
  const body = Object.keys(properties)
    .sort()
    .map(
      (name) =>
        `  <property>\n    <name>${escapeXml(name)}</name>\n    <value>${escapeXml(properties[name]!)}</value>\n  </property>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${[body, ...included].join("\n")}\n</configuration>\n`;
}

/** hive-site.xml as the metastore and schematool read it: the settings and the password file. */
export function hiveSiteXml(config: PlatformConfig, release: ReleaseConfig): string {
  return renderHadoopXml(hiveSite(config, release), [DB_PASSWORD_PATH]);
}

/** The Secret-held file hive-site.xml includes: the role's password, nothing else. */
export function connectionPasswordXml(password: string): string {
  return renderHadoopXml({ "javax.jdo.option.ConnectionPassword": password });
}
