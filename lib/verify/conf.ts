/**
 * Readers of the configuration formats the platform mounts into pods, so a verifier
 * can say what a pod REALLY uses rather than what the config meant it to use.
 */

import { parseSparkProperties } from "../kube/objects";

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** `<property><name>…</name><value>…</value></property>` pairs of a Hadoop *-site.xml. */
export function parseHadoopXml(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const block of text.match(/<property>[\s\S]*?<\/property>/g) ?? []) {
    const name = /<name>([\s\S]*?)<\/name>/.exec(block)?.[1];
    const value = /<value>([\s\S]*?)<\/value>/.exec(block)?.[1] ?? "";
    if (name !== undefined) properties[unescapeXml(name.trim())] = unescapeXml(value.trim());
  }
  return properties;
}

/** Properties of any config file by its extension (`.xml` Hadoop, everything else Properties). */
export function parseConfigFile(key: string, text: string): Record<string, string> {
  return key.endsWith(".xml") ? parseHadoopXml(text) : parseSparkProperties(text);
}

/** `-Dname=value` system properties set in a JVM options string (SERVICE_OPTS, SPARK_HISTORY_OPTS). */
export function systemProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const match of text.matchAll(/-D([^\s=]+)=(\S+)/g)) properties[match[1]!] = match[2]!;
  return properties;
}

export interface JdbcTarget {
  readonly server: string;
  readonly database: string;
}

/** Server and database of a PostgreSQL JDBC URL; undefined for anything else. */
export function parseJdbcUrl(url: string): JdbcTarget | undefined {
  const match = /^jdbc:postgresql:\/\/([^/?]+)\/([^?;/]+)/.exec(url.trim());
  if (!match) return undefined;
  return { server: match[1]!.toLowerCase(), database: match[2]! };
}
