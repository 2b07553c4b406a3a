import { defaultHiveMetastoreImage, defaultSparkImage, sparkLineOf } from "../spark/versions";
import { MAVEN_CENTRAL } from "../config/parse";
import { JAR_SETS, artifactPath, jarFileName, type JarSet } from "./catalog";
import { HIVE_LIB_DIR, IMAGE_SPARK_JARS_DIR } from "./plan";

/**
 * Build files of the derived images (`jars.source: image`), generated from the catalog so
 * they carry exactly its jars: `npm run jars -- images` writes them into images/, and a
 * test fails when the committed files differ from what the catalog gives.
 *
 * Each image downloads in a throwaway stage (debian slim with wget), checks every jar's
 * SHA-256 there, and copies only the verified jars onto the official image.
 */

/** A derived image: its folder under images/, its base, the set it adds and where. */
export interface DerivedImage {
  /** Folder under images/ and repository name under `spark-platform/`. */
  readonly name: string;
  /** The official image it extends (the Dockerfile's default BASE). */
  readonly base: string;
  /** The Spark or Hive version of the base: the derived image's tag. */
  readonly version: string;
  readonly set: JarSet;
  readonly description: string;
}

/** Spark versions and Hive versions of the defaults (the images' default BASE). */
const SPARK_DEFAULTS = { "3.5": "3.5.7", "4.1": "4.1.0" } as const;
const hiveVersionOf = (sparkVersion: string) => sparkLineOf(sparkVersion)!.hiveMetastoreVersion;

export const DERIVED_IMAGES: readonly DerivedImage[] = [
  {
    name: "spark-3.5",
    base: defaultSparkImage(SPARK_DEFAULTS["3.5"]),
    version: SPARK_DEFAULTS["3.5"],
    set: JAR_SETS["spark-3.5-s3a"],
    description: "Spark 3.5 with s3a (hadoop-aws 3.3.4, AWS SDK v1 modules)",
  },
  {
    name: "spark-4.1",
    base: defaultSparkImage(SPARK_DEFAULTS["4.1"]),
    version: SPARK_DEFAULTS["4.1"],
    set: JAR_SETS["spark-4.1-s3a"],
    description: "Spark 4.1 with s3a (hadoop-aws 3.4.2, AWS SDK v2 modules)",
  },
  {
    name: "hive-3.1.3",
    base: defaultHiveMetastoreImage(SPARK_DEFAULTS["3.5"]),
    version: hiveVersionOf(SPARK_DEFAULTS["3.5"]),
    set: JAR_SETS["hive-postgres-driver"],
    description: "Hive Metastore 3.1.3 with PostgreSQL driver 42.7.x (SCRAM) instead of 9.4",
  },
  {
    name: "hive-4.0.0",
    base: defaultHiveMetastoreImage(SPARK_DEFAULTS["4.1"]),
    version: hiveVersionOf(SPARK_DEFAULTS["4.1"]),
    set: JAR_SETS["hive-postgres-driver"],
    description: "Hive Metastore 4.0.0 with PostgreSQL driver 42.7.x (SCRAM)",
  },
];

/**
 * The reference a derived image is built and imported as: `spark-platform/<name>:<version>`
 * (e.g. `spark-platform/spark-3.5:3.5.7`), under `registry` when one is given.
 */
export function derivedImageRef(image: DerivedImage, registry?: string): string {
  const repository = `spark-platform/${image.name}:${image.version}`;
  return registry ? `${registry.replace(/\/+$/, "")}/${repository}` : repository;
}

const HEADER = (image: DerivedImage) =>
  `# images/${image.name}: ${image.description} (${image.set.artifacts.length} jar(s), set ${image.set.name}).
# Generated from lib/jars/catalog.ts by \`npm run jars -- images\`; do not edit by hand.
# Build:  docker build -t ${derivedImageRef(image, "<registry>")} images/${image.name}
# Air-gapped: --build-arg MAVEN_REPOSITORY=<your Maven mirror> (the checksums stay the same).
# Without a Docker engine (buildah): npm run jars -- build-images (docs/jars.md).
`;

/** `jars.txt`: one `<Maven path> <sha256>` per jar, read by the Dockerfile. */
export function jarsList(set: JarSet): string {
  return set.artifacts.map((a) => `${artifactPath(a)} ${a.sha256}`).join("\n") + "\n";
}

const FETCH_STAGE = `ARG MAVEN_REPOSITORY=${MAVEN_CENTRAL}

FROM debian:bookworm-slim AS jars
ARG MAVEN_REPOSITORY
RUN apt-get update && apt-get install -y --no-install-recommends wget ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
COPY jars.txt /jars.txt
# Every jar must match its pinned SHA-256, or the build stops naming it.
RUN set -eu; mkdir /jars; cd /jars; \\
    while read -r path sum; do \\
      name="\${path##*/}"; \\
      wget -nv -O "$name" "$MAVEN_REPOSITORY/$path"; \\
      echo "$sum  $name" | sha256sum -c --quiet - \\
        || { echo "checksum mismatch: $name from $MAVEN_REPOSITORY/$path" >&2; exit 1; }; \\
    done < /jars.txt
`;

/** The Dockerfile of a derived image. */
export function dockerfile(image: DerivedImage): string {
  const names = image.set.artifacts.map(jarFileName);
  if (image.name.startsWith("spark-")) {
    return `${HEADER(image)}ARG BASE=${image.base}
${FETCH_STAGE}
FROM \${BASE}
# Spark's own jars directory is on every JVM's classpath (daemons, drivers, executors).
COPY --from=jars --chown=spark:spark /jars/ ${IMAGE_SPARK_JARS_DIR}/
`;
  }
  return `${HEADER(image)}ARG BASE=${image.base}
${FETCH_STAGE}
FROM \${BASE}
USER root
# bin/hive puts ${HIVE_LIB_DIR}/*.jar on the classpath first: exactly one PostgreSQL driver there.
RUN rm -f ${HIVE_LIB_DIR}/postgresql-*.jar
COPY --from=jars /jars/${names.join(" /jars/")} ${HIVE_LIB_DIR}/
RUN chmod 644 ${names.map((n) => `${HIVE_LIB_DIR}/${n}`).join(" ")}
USER hive
`;
}

/** Every file under images/, keyed by its path relative to the repository. */
export function imageFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const image of DERIVED_IMAGES) {
    files[`images/${image.name}/Dockerfile`] = dockerfile(image);
    files[`images/${image.name}/jars.txt`] = jarsList(image.set);
  }
  return files;
}
