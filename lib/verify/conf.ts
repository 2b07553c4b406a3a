/**
 * Readers of the configuration formats the platform mounts into pods, so a verifier
 * can say what a pod REALLY uses rather than what the config meant it to use.
 */

/** spark-defaults.conf as java.util.Properties reads it: `key value`, `key=value` or `key: value`. */
export function parseSparkProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const match = /^([^\s=:]+)\s*[=:]?\s*(.*)$/.exec(line);
    if (match) properties[match[1]!] = match[2]!.trim();
  }
  return properties;
}

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

/** An event-log location without trailing slashes, so `a/b/` and `a/b` compare equal. */
export function normalizePrefix(prefix: string): string {
  return prefix.trim().replace(/\/+$/, "");
}

/** True when one prefix is the other or lies beneath it (`3.5/events` and `3.5/events/x`). */
export function prefixesOverlap(a: string, b: string): boolean {
  const x = normalizePrefix(a);
  const y = normalizePrefix(b);
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}
