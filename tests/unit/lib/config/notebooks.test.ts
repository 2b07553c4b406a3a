import { expect } from "chai";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import { parseValid } from "../../../support/stacks";
import { issueAt, PER_RELEASE, withClients } from "../../../support/clientConfig";

const SCIENCE = { namespace: "team-data-science" };
const AIRFLOW = { namespace: "airflow", serviceAccounts: ["airflow-worker"] };

/** The base config with spark-41 granting team-data-science and airflow, plus `notebooks`. */
function withNotebooks(notebooks: Record<string, unknown>[], top: Record<string, unknown> = {}) {
  return withClients([{ namespace: "team-pipelines" }], [SCIENCE, AIRFLOW], { ...top, notebooks });
}

const LAB = { name: "lab", namespace: "team-data-science", release: "spark-41" };

describe("config: notebooks[] are granted clients of a Connect release", () => {
  it("resolves a notebook in a client namespace: its own account, the release's default image", () => {
    const [notebook] = parseValid(withNotebooks([LAB])).notebooks;
    expect(notebook).to.deep.include({
      name: "lab",
      namespace: "team-data-science",
      release: "spark-41",
      serviceAccount: "lab",
      createServiceAccount: true,
      image: "spark-platform/notebook:4.1.0",
    });
    expect(notebook!.names).to.deep.equal({
      notebook: "lab",
      tokenSecret: "lab-jupyter-token",
      session: "lab-session",
    });
  });

  it("a stack without notebooks resolves to none", () => {
    expect(parseValid(withNotebooks([])).notebooks).to.deep.equal([]);
  });

  it("refuses a namespace the release does not grant, naming the grant to change", () => {
    issueAt(
      withNotebooks([{ ...LAB, namespace: "team-pipelines" }]),
      "spark-platform:notebooks[0].namespace",
      /team-pipelines is not a client namespace of release spark-41; grant it in releases\[1\]\.clients or use one of: team-data-science, airflow/,
    );
  });

  it("refuses a standalone release: a notebook runs no driver of its own", () => {
    issueAt(
      withNotebooks([{ ...LAB, namespace: "team-pipelines", release: "spark-35" }]),
      "spark-platform:notebooks[0].release",
      /spark-35 is a standalone release; .* must be a connect release/,
    );
  });

  it("refuses an unknown release, listing the known ones", () => {
    issueAt(
      withNotebooks([{ ...LAB, release: "spark-42" }]),
      "spark-platform:notebooks[0].release",
      /names no configured release \(known: spark-35, spark-41\)/,
    );
  });

  it("under a grant that lists ServiceAccounts, requires one of them", () => {
    issueAt(
      withNotebooks([{ ...LAB, namespace: "airflow" }]),
      "spark-platform:notebooks[0].serviceAccount",
      /is required: releases\[1\]\.clients\[1\] admits only ServiceAccounts airflow-worker/,
    );
    issueAt(
      withNotebooks([{ ...LAB, namespace: "airflow", serviceAccount: "jupyter" }]),
      "spark-platform:notebooks[0].serviceAccount",
      /jupyter is not listed in releases\[1\]\.clients\[1\]\.serviceAccounts/,
    );
    const [notebook] = parseValid(
      withNotebooks([{ ...LAB, namespace: "airflow", serviceAccount: "airflow-worker" }]),
    ).notebooks;
    expect(notebook).to.deep.include({
      serviceAccount: "airflow-worker",
      createServiceAccount: false,
    });
  });

  it("in the shared namespace, only under a listed account and with a name no release object has", () => {
    const shared = withClients(undefined, [{ namespace: "spark", serviceAccounts: ["jupyter"] }], {
      notebooks: [
        {
          name: "spark-41-connect",
          namespace: "spark",
          release: "spark-41",
          serviceAccount: "jupyter",
        },
      ],
    });
    issueAt(
      shared,
      "spark-platform:notebooks[0].name",
      /spark-41-connect is an object of release spark-41/,
    );
  });

  it("refuses the same notebook twice in one namespace", () => {
    issueAt(
      withNotebooks([LAB, LAB]),
      "spark-platform:notebooks[1].name",
      /configured twice \(also notebooks\[0\]\)/,
    );
  });

  it("requires an image where no default exists for the release's Spark version", () => {
    const raw = withNotebooks([LAB]);
    const values = raw.values as { releases: Record<string, unknown>[] };
    values.releases[1]!["sparkVersion"] = "4.1.1";
    const result = parsePlatformConfig(raw);
    expect(result.ok).to.equal(false);
    const keys = result.ok ? [] : result.issues.map((i) => i.key);
    expect(keys).to.include("spark-platform:notebooks[0].image");
  });

  it("refuses malformed entries by key", () => {
    issueAt(
      withNotebooks([{ ...LAB, name: "Lab" }]),
      "spark-platform:notebooks[0].name",
      /DNS-1123 label/,
    );
    // No key turns the login token off or sets it: it is the notebook's Secret's alone.
    issueAt(
      withNotebooks([{ ...LAB, token: "" }]),
      "spark-platform:notebooks[0].token",
      /unknown key/,
    );
  });

  it("perRelease: a notebook in the release's client namespace is accepted", () => {
    const config = parseValid(withClients([], [SCIENCE], { ...PER_RELEASE, notebooks: [LAB] }));
    expect(config.notebooks[0]!.namespace).to.equal("team-data-science");
  });
});
