import { expect } from "chai";
import {
  JAR_SETS,
  SDK_V1_BUNDLE,
  SDK_V2_BUNDLE,
  artifactPath,
  artifactUrl,
  catalogArtifacts,
  coordinates,
  sparkS3aSet,
  totalBytes,
} from "../../../../lib/jars/catalog";
import { SPARK_LINES } from "../../../../lib/spark/versions";

const versionOf = (coordinate: string) => coordinate.split(":")[2]!;

describe("jars: the catalog", () => {
  const everything = [
    ...Object.values(JAR_SETS).flatMap((s) => s.artifacts),
    SDK_V1_BUNDLE,
    SDK_V2_BUNDLE,
  ];

  it("pins a SHA-256, a SHA-1 and a size for every entry, each coordinate once per set", () => {
    for (const a of everything) {
      expect(a.sha256, coordinates(a)).to.match(/^[0-9a-f]{64}$/);
      expect(a.sha1, coordinates(a)).to.match(/^[0-9a-f]{40}$/);
      expect(a.bytes, coordinates(a)).to.be.greaterThan(1000);
    }
    for (const set of Object.values(JAR_SETS)) {
      const ids = set.artifacts.map(coordinates);
      expect(new Set(ids).size, set.name).to.equal(ids.length);
    }
    const hashes = everything.map((a) => a.sha256);
    expect(new Set(hashes).size, "two entries with the same bytes").to.equal(hashes.length);
  });

  for (const line of Object.values(SPARK_LINES)) {
    it(`Spark ${line.line}: hadoop-aws matches the line's Hadoop (${line.hadoopVersion}), and the SDK its hadoop-aws was built with`, () => {
      const set = sparkS3aSet(line.line)!;
      expect(set, line.line).to.not.equal(undefined);
      const hadoopAws = set.artifacts.filter((a) => a.artifact === "hadoop-aws");
      expect(hadoopAws.map((a) => a.version)).to.deep.equal([line.hadoopVersion]);
      const sdkVersion = versionOf(line.awsSdkBundle);
      const sdk = set.artifacts.filter(
        (a) => a.group === "com.amazonaws" || a.group === "software.amazon.awssdk",
      );
      expect(sdk.length).to.be.greaterThan(0);
      for (const a of sdk) expect(a.version, coordinates(a)).to.equal(sdkVersion);
      // One SDK generation only: v1 and v2 class names never meet on one classpath.
      const groups = new Set(sdk.map((a) => a.group));
      expect([...groups], line.line).to.have.length(1);
    });
  }

  it("Spark 4.1 takes the SDK v2 modules hadoop-aws needs, not the 642 MB bundle", () => {
    const set = JAR_SETS["spark-4.1-s3a"];
    const names = set.artifacts.map((a) => a.artifact);
    expect(names).to.include.members([
      "s3",
      "s3-transfer-manager",
      "sts",
      "apache-client",
      "netty-nio-client",
      "sdk-core",
      "aws-core",
      "auth",
      "regions",
      "third-party-jackson-core",
      "eventstream",
      "reactive-streams",
    ]);
    expect(names).not.to.include("bundle");
    // Spark 4.1's own jars provide these (same or newer): a second copy would only race it.
    for (const provided of ["httpclient", "httpcore", "commons-codec", "slf4j-api"]) {
      expect(names).not.to.include(provided);
    }
    expect(names.some((n) => n.startsWith("netty-") && n !== "netty-nio-client")).to.equal(false);
    expect(totalBytes(set.artifacts)).to.be.lessThan(SDK_V2_BUNDLE.bytes / 50);
  });

  it("Spark 3.5 takes the SDK v1 modules hadoop-aws 3.3.4 loads, not the 281 MB bundle", () => {
    const set = JAR_SETS["spark-3.5-s3a"];
    const names = set.artifacts.map((a) => a.artifact);
    // core and s3: every s3a path; dynamodb: S3AFileSystem.initialize links its exceptions
    // even with S3Guard off; sts: assumed-role and web-identity credentials.
    expect(names).to.have.members([
      "hadoop-aws",
      "aws-java-sdk-core",
      "aws-java-sdk-s3",
      "aws-java-sdk-sts",
      "aws-java-sdk-dynamodb",
    ]);
    expect(coordinates(SDK_V1_BUNDLE)).to.equal("com.amazonaws:aws-java-sdk-bundle:1.12.262");
    // The bundle is what hadoop-aws 3.3.4 declares; the modules keep its SDK version.
    for (const a of set.artifacts.filter((x) => x.group === "com.amazonaws")) {
      expect(a.version, coordinates(a)).to.equal(SDK_V1_BUNDLE.version);
    }
    expect(totalBytes(set.artifacts)).to.be.lessThan(SDK_V1_BUNDLE.bytes / 50);
  });

  it("Hive gets a PostgreSQL driver that speaks SCRAM-SHA-256 (42.2.0 or later)", () => {
    const [driver, ...rest] = JAR_SETS["hive-postgres-driver"].artifacts;
    expect(rest).to.deep.equal([]);
    expect(coordinates(driver!)).to.match(/^org\.postgresql:postgresql:42\.(\d+)\.\d+$/);
    expect(Number(/^42\.(\d+)/.exec(driver!.version)![1])).to.be.at.least(2);
  });

  it("builds Maven-layout paths and URLs, and lists each artifact once for a mirror", () => {
    const aws = JAR_SETS["spark-4.1-s3a"].artifacts[0]!;
    expect(artifactPath(aws)).to.equal("org/apache/hadoop/hadoop-aws/3.4.2/hadoop-aws-3.4.2.jar");
    expect(artifactUrl("https://repo1.maven.org/maven2/", aws)).to.equal(
      "https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.4.2/hadoop-aws-3.4.2.jar",
    );
    const all = catalogArtifacts().map(coordinates);
    expect(new Set(all).size).to.equal(all.length);
    expect(all.length).to.equal(
      Object.values(JAR_SETS).reduce((n, s) => n + s.artifacts.length, 0),
    );
  });
});
