import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { metastoreJdbcUrl } from "../../lib/naming/endpoints";
import { PORTS } from "../../lib/naming/names";
import { s3aSettings } from "../../lib/spark/s3a";
import { hiveHadoopLine } from "../../lib/spark/versions";

/** Env var the metastore's password arrives in (from the Secret); hive-site only references it. */
export const DB_PASSWORD_ENV = "HIVE_METASTORE_DB_PASSWORD";

/**
 * hive-site.xml of one release's metastore: its own database and role, schema
 * verification on (a metastore never adapts a schema it does not match), and the
 * password only as a reference to an environment variable, which Hadoop's
 * Configuration expands at read time, so the ConfigMap holds no credential.
 */
export function hiveSite(config: PlatformConfig, release: ReleaseConfig): Record<string, string> {
  const site: Record<string, string> = {
    "javax.jdo.option.ConnectionURL": metastoreJdbcUrl(config, release),
    "javax.jdo.option.ConnectionDriverName": "org.postgresql.Driver",
    "javax.jdo.option.ConnectionUserName": release.metastore.role,
    "javax.jdo.option.ConnectionPassword": `\${env.${DB_PASSWORD_ENV}}`,
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

export function renderHadoopXml(properties: Readonly<Record<string, string>>): string {
  const body = Object.keys(properties)
    .sort()
    .map(
      (name) =>
        `  <property>\n    <name>${escapeXml(name)}</name>\n    <value>${escapeXml(properties[name]!)}</value>\n  </property>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n${body}\n</configuration>\n`;
}
