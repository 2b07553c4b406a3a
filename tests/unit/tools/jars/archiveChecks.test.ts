import { expect } from "chai";
import { JAR_SETS, jarFileName } from "../../../../lib/jars/catalog";
import { configDifferences, jarListingProblems } from "../../../../tools/jars/archiveChecks";

const base = {
  User: "spark",
  Entrypoint: ["/opt/entrypoint.sh"],
  WorkingDir: "/opt/spark/work-dir",
  Env: ["SPARK_HOME=/opt/spark"],
  Labels: { "org.spark-platform.stand-in": "apache/spark 3.5.7" },
};

describe("derived images: archive check verdicts", () => {
  it("accepts a config that differs only in labels, refuses a changed user, entrypoint or env", () => {
    expect(
      configDifferences(base, { ...base, Labels: { "io.buildah.version": "1.28.2" }, Cmd: [] }),
    ).to.deep.equal([]);
    expect(configDifferences(base, { ...base, User: "root" })).to.deep.equal([
      'User: "spark" -> "root"',
    ]);
    expect(
      configDifferences(base, { ...base, Entrypoint: null, Env: [...base.Env, "X=1"] }),
    ).to.deep.equal([
      'Entrypoint: ["/opt/entrypoint.sh"] -> null',
      'Env: ["SPARK_HOME=/opt/spark"] -> ["SPARK_HOME=/opt/spark","X=1"]',
    ]);
  });

  const set = JAR_SETS["spark-3.5-s3a"].artifacts;
  const dir = "/opt/spark/jars";
  const listing = (edit: (name: string, sha: string) => [string, string, string] | undefined) =>
    set
      .map((a) => edit(jarFileName(a), a.sha256))
      .filter((x): x is [string, string, string] => x !== undefined)
      .flatMap(([name, sha, stat]) => [`${sha}  ${dir}/${name}`, `${stat} ${dir}/${name}`])
      .join("\n");

  it("accepts every jar with its pin, owned by the image user or root and readable by all", () => {
    expect(
      jarListingProblems(
        listing((n, s) => [n, s, "spark:spark 644"]),
        dir,
        set,
        "spark",
      ),
    ).to.deep.equal([]);
    expect(
      jarListingProblems(
        listing((n, s) => [n, s, "root:root 644"]),
        dir,
        set,
        "spark",
      ),
    ).to.deep.equal([]);
  });

  it("names a missing jar, a wrong digest, a foreign owner and an unreadable mode", () => {
    const first = jarFileName(set[0]!);
    const second = jarFileName(set[1]!);
    const out = listing((n, s) => {
      if (n === first) return undefined;
      if (n === second) return [n, "0".repeat(64), "nobody:nogroup 600"];
      return [n, s, "spark:spark 644"];
    });
    expect(jarListingProblems(out, dir, set, "spark")).to.deep.equal([
      `${dir}/${first} missing`,
      `${dir}/${second} has sha256 ${"0".repeat(64)}, pinned ${set[1]!.sha256}`,
      `${dir}/${second} owned by nobody`,
      `${dir}/${second} mode 600 (not readable by all)`,
    ]);
  });
});
