/**
 * Maven Central access of the image builder: single artifacts by URL (checked against a
 * pinned sha1) and dependency trees through `mvn dependency:copy-dependencies` on a POM we
 * generate into the cache. The POM text and the jar placement rules are pure (tested).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Ctx } from "./image";
import { type MavenCoordinate, mavenPath, parseCoordinate } from "./recipe";
import { runOk } from "../support/runCommand";
import { download } from "./download";
import { step } from "./progress";

export const MAVEN_CENTRAL = "https://repo1.maven.org/maven2";
export const DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1";

export async function mavenArtifact(ctx: Ctx, coordinate: string, sha1: string) {
  const c = parseCoordinate(coordinate);
  const { file, path } = mavenPath(c);
  const dest = join(ctx.root, "downloads", file);
  await download(`${MAVEN_CENTRAL}/${path}`, dest, { algorithm: "sha1", hex: sha1 }, ctx.log);
  return dest;
}

export interface PomDependency {
  coordinate: string;
  /** `group:artifact` patterns (`*` allowed) to exclude from this dependency's tree. */
  exclusions?: readonly string[];
}

const xml = (tag: string, value: string) => `<${tag}>${value}</${tag}>`;

function dependencyXml(dep: PomDependency): string {
  const c: MavenCoordinate = parseCoordinate(dep.coordinate);
  const exclusions = (dep.exclusions ?? []).map((e) => {
    const [groupId, artifactId] = e.split(":");
    return `<exclusion>${xml("groupId", groupId ?? "*")}${xml("artifactId", artifactId ?? "*")}</exclusion>`;
  });
  return [
    "    <dependency>",
    `      ${xml("groupId", c.groupId)}${xml("artifactId", c.artifactId)}${xml("version", c.version)}`,
    c.type && c.type !== "jar" ? `      ${xml("type", c.type)}` : "",
    c.classifier ? `      ${xml("classifier", c.classifier)}` : "",
    exclusions.length ? `      <exclusions>${exclusions.join("")}</exclusions>` : "",
    "    </dependency>",
  ]
    .filter(Boolean)
    .join("\n");
}

/** A POM whose only purpose is to have `dependencies` resolved and copied. */
export function resolverPom(name: string, dependencies: readonly PomDependency[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    "  <modelVersion>4.0.0</modelVersion>",
    "  <groupId>spark-platform.images</groupId>",
    `  <artifactId>${name}</artifactId>`,
    "  <version>0</version>",
    "  <packaging>pom</packaging>",
    "  <dependencies>",
    ...dependencies.map(dependencyXml),
    "  </dependencies>",
    "</project>",
    "",
  ].join("\n");
}

/** Resolves `dependencies` (runtime scope) into `outDir` with the cache's own local repository. */
export async function copyDependencies(
  ctx: Ctx,
  name: string,
  dependencies: readonly PomDependency[],
  outDir: string,
) {
  const dir = join(ctx.root, "maven", name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "pom.xml"), resolverPom(name, dependencies));
  let copied = 0;
  await step(ctx.log, `mvn copy-dependencies ${name}`, () =>
    runOk(
      "mvn",
      [
        "-B",
        "--no-transfer-progress",
        "-f",
        join(dir, "pom.xml"),
        `-Dmaven.repo.local=${join(ctx.root, "m2")}`,
        `${DEPENDENCY_PLUGIN}:copy-dependencies`,
        `-DoutputDirectory=${outDir}`,
        "-DincludeScope=runtime",
      ],
      { nice: 10, echo: (line) => void (line.includes("Copying") && copied++) },
    ),
  );
  ctx.log(`mvn copy-dependencies ${name}: ${copied} jars`);
}

/**
 * Where a resolved jar goes in Hadoop's distribution layout (relative to share/hadoop):
 * Hadoop's own module jars in their module directory, hadoop-aws and its SDK bundle in
 * tools/lib (off the default classpath), every third-party jar in common/lib.
 */
export function hadoopLayoutDir(jar: string, hadoopVersion: string): string {
  const own = (prefix: string) => jar.startsWith(prefix) && jar.endsWith(`-${hadoopVersion}.jar`);
  if (
    own("hadoop-aws-") ||
    /^aws-java-sdk-bundle-.*\.jar$/.test(jar) ||
    /^bundle-2\..*\.jar$/.test(jar)
  ) {
    return "tools/lib";
  }
  if (own("hadoop-hdfs")) return "hdfs";
  if (own("hadoop-mapreduce-")) return "mapreduce";
  if (own("hadoop-yarn-")) return "yarn";
  if (own("hadoop-common-")) return "common";
  return "common/lib";
}
