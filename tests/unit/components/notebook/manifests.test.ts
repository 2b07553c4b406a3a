import { expect } from "chai";
import fc from "fast-check";
import {
  notebookDeployment,
  notebookNetworkPolicy,
  notebookServiceAccount,
  notebookSessionConfigMap,
  notebookTokenSecret,
} from "../../../../components/notebook/manifests";
import { deriveConnectToken, deriveNotebookToken } from "../../../../lib/credentials/derivation";
import { CLIENT_LABEL, RELEASE_LABEL, SOURCE_ANNOTATION } from "../../../../lib/kube/objects";
import { hardeningViolations, restrictedViolations } from "../../../../lib/kube/podSecurity";
import { parseValid } from "../../../support/stacks";
import { withClients } from "../../../support/clientConfig";

const config = parseValid(
  withClients([], [{ namespace: "team-data-science" }], {
    notebooks: [{ name: "lab", namespace: "team-data-science", release: "spark-41" }],
  }),
);
const notebook = config.notebooks[0]!;
const release = config.releases.find((r) => r.name === "spark-41")!;
const deployment = notebookDeployment(notebook, release);
const pod = deployment.spec!.template.spec!;
const container = pod.containers[0]!;

describe("components/notebook manifests", () => {
  it("a client pod of its release: the client label, never the release label, in its namespace", () => {
    const labels = deployment.spec!.template.metadata!.labels!;
    expect(labels[CLIENT_LABEL]).to.equal("spark-41");
    expect(labels[RELEASE_LABEL]).to.equal(undefined);
    expect(deployment.metadata!.namespace).to.equal("team-data-science");
    expect(pod.serviceAccountName).to.equal("lab");
    expect(pod.automountServiceAccountToken).to.equal(false);
  });

  it("meets Pod Security restricted and the platform's hardening (read-only root filesystem)", () => {
    expect(restrictedViolations(pod)).to.deep.equal([]);
    expect(hardeningViolations(pod)).to.deep.equal([]);
  });

  it("reads the login token from its Secret's file and the release's token and CA from the client Secret", () => {
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e]));
    expect(env["JUPYTER_TOKEN_FILE"]!.value).to.equal("/etc/jupyter-token/token");
    expect(env["JUPYTER_TOKEN"]).to.equal(undefined);
    expect((container.env ?? []).filter((e) => e.valueFrom)).to.deep.equal([]);
    expect(env["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"]!.value).to.equal(
      "/etc/spark-connect-client/ca.crt",
    );
    expect(env["SPARK_PLATFORM_CONNECT_URL"]!.value).to.equal(
      "sc://spark-41-connect.spark.svc:15002/;use_ssl=true",
    );
    const secrets = (pod.volumes ?? []).filter((v) => v.secret).map((v) => v.secret!.secretName);
    expect(secrets).to.deep.equal(["lab-jupyter-token", "spark-41-connect-client"]);
    expect(container.command!.join(" ")).to.not.match(/token|password/i);
  });

  it("a token Secret of one key, a session ConfigMap that holds no credential", () => {
    expect(Object.keys(notebookTokenSecret(notebook, "t").stringData)).to.deep.equal(["token"]);
    const session = notebookSessionConfigMap(notebook);
    expect(Object.keys(session.data!)).to.deep.equal([
      "ipython_kernel_config.py",
      "spark_session.py",
    ]);
    expect(session.data!["spark_session.py"]).to.match(/SPARK_PLATFORM_CONNECT_TOKEN_FILE/);
    expect(session.data!["spark_session.py"]).to.not.match(/print\([^)]*token/);
  });

  it("a NetworkPolicy with no ingress, egress to DNS and its release's Connect and UI ports only", () => {
    const policy = notebookNetworkPolicy(notebook, release);
    expect(policy.spec!.policyTypes).to.deep.equal(["Ingress", "Egress"]);
    expect(policy.spec!.ingress).to.equal(undefined);
    const [dns, toRelease] = policy.spec!.egress!;
    expect(dns!.to![0]!.podSelector!.matchLabels).to.deep.equal({ "k8s-app": "kube-dns" });
    expect(toRelease!.to![0]!.podSelector!.matchLabels).to.deep.equal({
      [RELEASE_LABEL]: "spark-41",
    });
    expect(toRelease!.ports!.map((p) => p.port)).to.deep.equal([15002, 4040, 18080]);
  });

  it("every object says where it comes from", () => {
    const objects = [
      deployment,
      notebookNetworkPolicy(notebook, release),
      notebookServiceAccount(notebook)!,
      notebookSessionConfigMap(notebook),
      notebookTokenSecret(notebook, "t"),
    ];
    for (const object of objects) {
      const source = object.metadata!.annotations![SOURCE_ANNOTATION]!;
      expect(source, object.kind).to.match(/^components\/notebook\/manifests\.ts#notebook/);
    }
  });

  it("a named ServiceAccount is the team's: the notebook creates none", () => {
    const named = parseValid(
      withClients([], [{ namespace: "airflow", serviceAccounts: ["jupyter"] }], {
        notebooks: [
          { name: "lab", namespace: "airflow", release: "spark-41", serviceAccount: "jupyter" },
        ],
      }),
    ).notebooks[0]!;
    expect(notebookServiceAccount(named)).to.equal(undefined);
    expect(notebookDeployment(named, release).spec!.template.spec!.serviceAccountName).to.equal(
      "jupyter",
    );
  });

  it("tokens: one per notebook and namespace, none equal to a release's token (property)", () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), label, label, label, (key, ns, a, b) => {
        const ta = deriveNotebookToken(key, ns, a);
        expect(ta).to.not.equal(deriveConnectToken(key, a));
        if (a !== b) expect(ta).to.not.equal(deriveNotebookToken(key, ns, b));
        expect(ta).to.match(/^[A-Za-z0-9_-]{43}$/);
      }),
    );
  });
});
