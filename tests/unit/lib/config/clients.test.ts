import { expect } from "chai";
import { createdClientNamespaces } from "../../../../lib/config/clients";
import { parseValid } from "../../../support/stacks";
import { issueAt, PER_RELEASE, withClients } from "../../../support/clientConfig";

describe("config: releases[].clients against the releases", () => {
  it("one namespace may be a client of several releases (an Airflow namespace during a migration)", () => {
    const airflow = { namespace: "airflow", serviceAccounts: ["airflow-worker"] };
    const config = parseValid(withClients([airflow], [airflow], PER_RELEASE));
    expect(config.releases.map((r) => r.clients[0]!.namespace)).to.deep.equal([
      "airflow",
      "airflow",
    ]);
  });

  describe("refuses grants that would open a release to more than the listed pods", () => {
    it("perRelease: another release's namespace, naming both releases", () => {
      const issue = issueAt(
        withClients([{ namespace: "spark-41" }], [], PER_RELEASE),
        "spark-platform:releases[0].clients[0].namespace",
        /holds release spark-41 \(releases\[1\]\)/,
      );
      expect(issue.releases).to.deep.equal(["spark-35", "spark-41"]);
    });

    it("perRelease: another release's namespace even with ServiceAccounts listed", () => {
      issueAt(
        withClients([], [{ namespace: "spark-35", serviceAccounts: ["notebooks"] }], PER_RELEASE),
        "spark-platform:releases[1].clients[0].namespace",
        /holds release spark-35/,
      );
    });

    it("perRelease: its own namespace without ServiceAccounts (labelling a pod there must not be enough)", () => {
      issueAt(
        withClients([{ namespace: "spark-35" }], [], PER_RELEASE),
        "spark-platform:releases[0].clients[0].serviceAccounts",
        /is required: namespace spark-35 is release spark-35's own namespace/,
      );
    });

    it("perRelease: its own namespace with ServiceAccounts is a grant", () => {
      const config = parseValid(
        withClients([{ namespace: "spark-35", serviceAccounts: ["notebook"] }], [], PER_RELEASE),
      );
      expect(config.releases[0]!.clients[0]!.serviceAccounts).to.deep.equal(["notebook"]);
    });

    it("shared: the shared namespace without ServiceAccounts", () => {
      issueAt(
        withClients(undefined, [{ namespace: "spark" }]),
        "spark-platform:releases[1].clients[0].serviceAccounts",
        /the shared namespace of every release/,
      );
    });

    it("shared: the shared namespace with ServiceAccounts is a grant", () => {
      const config = parseValid(
        withClients(undefined, [{ namespace: "spark", serviceAccounts: ["jupyter"] }]),
      );
      expect(config.releases[1]!.clients[0]!.namespace).to.equal("spark");
    });

    it("shared: a release's own account as a client account, naming whose account it is", () => {
      const issue = issueAt(
        withClients([{ namespace: "spark", serviceAccounts: ["jupyter", "spark-41-spark"] }], []),
        "spark-platform:releases[0].clients[0].serviceAccounts[1]",
        /spark-41-spark is the ServiceAccount of release spark-41 \(releases\[1\]\)/,
      );
      expect(issue.releases).to.deep.equal(["spark-35", "spark-41"]);
    });

    it("createNamespace on a namespace the platform creates as a release namespace", () => {
      issueAt(
        withClients(
          [{ namespace: "spark", serviceAccounts: ["jupyter"], createNamespace: true }],
          [],
        ),
        "spark-platform:releases[0].clients[0].createNamespace",
        /release namespace/,
      );
    });

    it("two entries naming one namespace with different createNamespace", () => {
      const issue = issueAt(
        withClients(
          [{ namespace: "airflow", createNamespace: true }],
          [{ namespace: "airflow" }],
          PER_RELEASE,
        ),
        "spark-platform:releases[1].clients[0].createNamespace",
        /false here but true in releases\[0\]\.clients\[0\]/,
      );
      expect(issue.releases).to.deep.equal(["spark-41", "spark-35"]);
    });
  });

  it("the namespaces the platform creates: once each, whoever lists them", () => {
    const config = parseValid(
      withClients(
        [{ namespace: "airflow", createNamespace: true }, { namespace: "team-pipelines" }],
        [
          { namespace: "team-data-science", createNamespace: true },
          { namespace: "airflow", createNamespace: true },
        ],
        PER_RELEASE,
      ),
    );
    expect(createdClientNamespaces(config)).to.deep.equal(["airflow", "team-data-science"]);
  });
});
