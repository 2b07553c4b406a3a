import { expect } from "chai";
import { hiveDependencies, HIVE_VERSIONS } from "../../../../cluster/images/hive";
import { hadoopLayoutDir, resolverPom } from "../../../../cluster/images/maven";

describe("cluster/images: Maven resolution for the Hive images", () => {
  it("generates a POM listing each dependency with its exclusions", () => {
    const pom = resolverPom("hadoop-3.3.4", [
      { coordinate: "org.apache.hadoop:hadoop-common:3.3.4", exclusions: ["jdk.tools:jdk.tools"] },
      { coordinate: "org.apache.hive:hive-standalone-metastore:3.1.3:tar.gz:bin" },
    ]);
    expect(pom).to.contain("<artifactId>hadoop-3.3.4</artifactId>");
    expect(pom).to.contain(
      "<groupId>org.apache.hadoop</groupId><artifactId>hadoop-common</artifactId><version>3.3.4</version>",
    );
    expect(pom).to.contain(
      "<exclusions><exclusion><groupId>jdk.tools</groupId><artifactId>jdk.tools</artifactId></exclusion></exclusions>",
    );
    expect(pom).to.contain("<type>tar.gz</type>");
    expect(pom).to.contain("<classifier>bin</classifier>");
    expect(pom.match(/<dependency>/g)).to.have.length(2);
  });

  it("asks for the Hadoop modules of each Hive line plus hadoop-aws, at the line's Hadoop version", () => {
    const [hive313, hive400] = HIVE_VERSIONS;
    const names = (deps: ReturnType<typeof hiveDependencies>) => deps.map((d) => d.coordinate);
    expect(names(hiveDependencies(hive313!))).to.deep.equal([
      "org.apache.hadoop:hadoop-common:3.3.4",
      "org.apache.hadoop:hadoop-hdfs-client:3.3.4",
      "org.apache.hadoop:hadoop-mapreduce-client-core:3.3.4",
      "org.apache.hadoop:hadoop-aws:3.3.4",
    ]);
    expect(names(hiveDependencies(hive400!))).to.include("org.apache.hadoop:hadoop-hdfs:3.3.6");
    // jdk.tools, and ZooKeeper's log4j 1 binding (Hadoop's distribution ships reload4j).
    for (const dep of [...hiveDependencies(hive313!), ...hiveDependencies(hive400!)]) {
      expect(dep.exclusions).to.deep.equal([
        "jdk.tools:jdk.tools",
        "org.slf4j:slf4j-log4j12",
        "log4j:log4j",
      ]);
    }
  });

  it("lays jars out as Hadoop's distribution: s3a jars only in tools/lib", () => {
    const v = "3.3.4";
    expect(hadoopLayoutDir("hadoop-common-3.3.4.jar", v)).to.equal("common");
    expect(hadoopLayoutDir("hadoop-auth-3.3.4.jar", v)).to.equal("common/lib");
    expect(hadoopLayoutDir("hadoop-hdfs-client-3.3.4.jar", v)).to.equal("hdfs");
    expect(hadoopLayoutDir("hadoop-mapreduce-client-core-3.3.4.jar", v)).to.equal("mapreduce");
    expect(hadoopLayoutDir("hadoop-yarn-common-3.3.4.jar", v)).to.equal("yarn");
    expect(hadoopLayoutDir("hadoop-aws-3.3.4.jar", v)).to.equal("tools/lib");
    expect(hadoopLayoutDir("aws-java-sdk-bundle-1.12.262.jar", v)).to.equal("tools/lib");
    // Third-party jars, and Hadoop's shaded helpers with their own versions, go to common/lib.
    expect(hadoopLayoutDir("hadoop-shaded-guava-1.1.1.jar", v)).to.equal("common/lib");
    expect(hadoopLayoutDir("guava-27.0-jre.jar", v)).to.equal("common/lib");
  });
});
