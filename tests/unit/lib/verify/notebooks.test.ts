import { expect } from "chai";
import { notebookAccess } from "../../../../lib/verify/notebooks";
import { clusterObjects } from "../../../../lib/verify/objects";
import { verifyObjects } from "../../../../lib/verify/run";
import { renderStack } from "../../../support/stacks";
import { failing, find, type Loose } from "../../../support/verifier";

const DEPLOYMENT = "Deployment/team-data-science/data-science-lab";

/** The local stack (it configures a notebook), deep-copied so a test may break it. */
async function local(): Promise<Loose[]> {
  return structuredClone((await renderStack("local")).manifests) as Loose[];
}
const rowsOf = (manifests: Loose[]) => notebookAccess(clusterObjects(manifests));
const container = (manifests: Loose[]) =>
  find(manifests, "Deployment", "data-science-lab").spec.template.spec.containers[0];

describe("verifier: notebook access", function () {
  this.timeout(60_000);

  it("passes the local stack's notebook as a client of spark-41, and the whole verifier with it", async () => {
    const manifests = await local();
    const rows = rowsOf(manifests);
    expect(rows.map((r) => `${r.subject} ${r.pass}`)).to.deep.equal([`${DEPLOYMENT} true`]);
    expect(failing(verifyObjects(clusterObjects(manifests)))).to.deep.equal([]);
  });

  it("has nothing to say about a stack without notebooks", async () => {
    const dev = structuredClone((await renderStack("dev")).manifests) as Loose[];
    expect(rowsOf(dev)).to.deep.equal([]);
  });

  describe("negative controls: each break fails the row, naming what is wrong", () => {
    const broken = async (edit: (manifests: Loose[]) => void): Promise<string[]> => {
      const manifests = await local();
      edit(manifests);
      return failing(rowsOf(manifests));
    };
    const expectFailure = async (edit: (m: Loose[]) => void, message: RegExp) => {
      const failures = await broken(edit);
      expect(failures, "the broken notebook must fail").to.have.length(1);
      expect(failures[0]).to.match(new RegExp(`^${DEPLOYMENT}: .*${message.source}`), failures[0]);
    };

    it("a login token turned off by an argument", () =>
      expectFailure(
        (m) => container(m).command.push("--IdentityProvider.token="),
        /--IdentityProvider\.token sets the login otherwise/,
      ));

    it("a login token from env instead of its Secret file", () =>
      expectFailure(
        (m) => container(m).env.push({ name: "JUPYTER_TOKEN", value: "x" }),
        /sets JUPYTER_TOKEN/,
      ));

    it("no token file at all", () =>
      expectFailure((m) => {
        const c = container(m);
        c.env = c.env.filter((e: Loose) => e.name !== "JUPYTER_TOKEN_FILE");
      }, /JUPYTER_TOKEN_FILE does not name a file of a mounted Secret/));

    it("no client label", () =>
      expectFailure((m) => {
        delete find(m, "Deployment", "data-science-lab").spec.template.metadata.labels[
          "spark-platform.io/client-of"
        ];
      }, /no spark-platform\.io\/client-of label/));

    it("a client of the standalone release", () =>
      expectFailure((m) => {
        find(m, "Deployment", "data-science-lab").spec.template.metadata.labels[
          "spark-platform.io/client-of"
        ] = "spark-35";
      }, /client of spark-35, which is no Spark Connect release/));

    it("a Secret that is no client Secret of its release", () =>
      expectFailure((m) => {
        // The other release's client Secret, as if it were granted here too.
        const granted = m.find(
          (o) =>
            o.kind === "Secret" &&
            o.metadata.name === "spark-41-connect-client" &&
            o.metadata.namespace === "team-data-science",
        );
        const other = structuredClone(granted);
        other.metadata.name = "spark-35-spark-client";
        other.metadata.labels["spark-platform.io/release"] = "spark-35";
        other.metadata.labels["spark-platform.io/client-of"] = "spark-35";
        m.push(other);
        const spec = find(m, "Deployment", "data-science-lab").spec.template.spec;
        spec.volumes.find((v: Loose) => v.name === "connect-client").secret.secretName =
          "spark-35-spark-client";
      }, /spark-35-spark-client, which is not a client Secret of spark-41 \(release spark-35\)/));

    it("ingress admitted", () =>
      expectFailure((m) => {
        find(m, "NetworkPolicy", "data-science-lab").spec.ingress = [{}];
      }, /admits ingress/));

    it("egress to any address", () =>
      expectFailure((m) => {
        find(m, "NetworkPolicy", "data-science-lab").spec.egress.push({ ports: [{ port: 443 }] });
      }, /allows egress to any address/));

    it("egress to the other release", () =>
      expectFailure((m) => {
        const rule = find(m, "NetworkPolicy", "data-science-lab").spec.egress[1];
        rule.to[0].podSelector.matchLabels["spark-platform.io/release"] = "spark-35";
      }, /allows egress beyond DNS and release spark-41/));

    it("no NetworkPolicy of its own", () =>
      expectFailure((m) => {
        m.splice(m.indexOf(find(m, "NetworkPolicy", "data-science-lab")), 1);
      }, /no NetworkPolicy of the notebook selects its pod/));
  });
});
