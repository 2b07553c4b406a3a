import { expect } from "chai";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";
import { issueAt, PER_RELEASE, withClients } from "../../../support/clientConfig";

/** The base two-release config (shared namespace `spark`) with monitoring set as given. */
const withMonitoring = (monitoring: unknown, top: Record<string, unknown> = {}) =>
  rawConfig({ ...baseValues(), ...top, monitoring });

describe("config: spark-platform:monitoring", () => {
  it("is absent unless configured: the resolved config has no monitoring key at all", () => {
    const config = parseValid(rawConfig(baseValues()));
    expect(Object.keys(config)).not.to.include("monitoring");
    expect(config.monitoring).to.equal(undefined);
  });

  it("with a namespace of its own: PodMonitors on by default, off when said", () => {
    expect(parseValid(withMonitoring({ namespace: "monitoring" })).monitoring).to.deep.equal({
      namespace: "monitoring",
      podMonitors: true,
    });
    expect(
      parseValid(withMonitoring({ namespace: "prometheus", podMonitors: false })).monitoring,
    ).to.deep.equal({ namespace: "prometheus", podMonitors: false });
  });

  describe("refuses, naming the key", () => {
    it("the shared namespace of the releases, naming every release in it", () => {
      const issue = issueAt(
        withMonitoring({ namespace: "spark" }),
        "spark-platform:monitoring.namespace",
        /namespace spark holds release spark-35 \(releases\[0\]\), spark-41 \(releases\[1\]\)/,
      );
      expect(issue.releases).to.deep.equal(["spark-35", "spark-41"]);
    });

    it("perRelease: one release's own namespace", () => {
      const issue = issueAt(
        withMonitoring({ namespace: "spark-41" }, PER_RELEASE),
        "spark-platform:monitoring.namespace",
        /namespace spark-41 holds release spark-41 \(releases\[1\]\)/,
      );
      expect(issue.releases).to.deep.equal(["spark-41"]);
    });

    it("a client namespace of a release, naming the grant", () => {
      const raw = withClients([{ namespace: "airflow" }], [], {
        monitoring: { namespace: "airflow" },
      });
      const issue = issueAt(
        raw,
        "spark-platform:monitoring.namespace",
        /namespace airflow is a client namespace \(releases\[0\]\.clients\[0\]\)/,
      );
      expect(issue.releases).to.deep.equal(["spark-35"]);
    });

    it("a namespace that is no DNS label", () => {
      for (const namespace of ["Monitoring", "monitoring.ns", "-monitoring", "m".repeat(64)]) {
        issueAt(withMonitoring({ namespace }), "spark-platform:monitoring.namespace", /must be/);
      }
    });

    it("a missing namespace", () => {
      issueAt(withMonitoring({}), "spark-platform:monitoring.namespace", /./);
    });

    it("podMonitors that is not a boolean", () => {
      issueAt(
        withMonitoring({ namespace: "monitoring", podMonitors: "yes" }),
        "spark-platform:monitoring.podMonitors",
        /must be true or false/,
      );
    });

    it("unknown keys", () => {
      issueAt(
        withMonitoring({ namespace: "monitoring", serviceMonitors: true }),
        "spark-platform:monitoring.serviceMonitors",
        /unknown key/,
      );
    });
  });

  it("negative controls: the same releases, clients and layout with a namespace of its own pass", () => {
    const shared = withClients([{ namespace: "airflow" }], [], {
      monitoring: { namespace: "monitoring" },
    });
    expect(parsePlatformConfig(shared).ok).to.equal(true);
    // perRelease: "spark" is no release's namespace there, so it may hold Prometheus.
    expect(parsePlatformConfig(withMonitoring({ namespace: "spark" }, PER_RELEASE)).ok).to.equal(
      true,
    );
  });
});
