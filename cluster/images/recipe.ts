/**
 * Pure parts of the image builder's caching: a recipe is a JSON-able description of
 * everything an image is built from (pinned versions, our own script texts, the digests of
 * the layers below it); its hash names the cached output, so any change rebuilds and a warm
 * run with an unchanged recipe rebuilds nothing.
 */
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so equal recipes hash equally. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Hex sha256 of the recipe's stable JSON. */
export function recipeHash(recipe: unknown): string {
  return sha256Hex(stableStringify(recipe));
}

/** File-name-safe cache key: `<slug>-<first 16 hex of the hash>`. */
export function cacheKey(name: string, recipe: unknown): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, "_");
  return `${slug}-${recipeHash(recipe).slice(0, 16)}`;
}

export interface MavenCoordinate {
  groupId: string;
  artifactId: string;
  version: string;
  classifier?: string;
  type?: string;
}

/** `group:artifact:version[:type[:classifier]]` as Maven's dependency plugin spells it. */
export function parseCoordinate(text: string): MavenCoordinate {
  const [groupId, artifactId, version, type, classifier] = text.split(":");
  if (!groupId || !artifactId || !version) throw new Error(`bad Maven coordinate ${text}`);
  return { groupId, artifactId, version, type: type ?? "jar", classifier };
}

/** File name and repository path of an artifact in the Maven layout. */
export function mavenPath(c: MavenCoordinate): { file: string; path: string } {
  const file = `${c.artifactId}-${c.version}${c.classifier ? `-${c.classifier}` : ""}.${c.type ?? "jar"}`;
  return { file, path: `${c.groupId.replace(/\./g, "/")}/${c.artifactId}/${c.version}/${file}` };
}

/**
 * The URL and sha256 of one file in a PEP 503 "simple" project page
 * (`<a href="https://.../name.tar.gz#sha256=...">`).
 */
export function simpleIndexLink(html: string, filename: string): { url: string; sha256: string } {
  const links = html.matchAll(/href="([^"#]+)#sha256=([0-9a-f]{64})"/g);
  for (const [, url, sha256] of links) {
    if (url && sha256 && url.split("/").pop() === filename) return { url, sha256 };
  }
  throw new Error(`${filename} is not listed in the index page`);
}
