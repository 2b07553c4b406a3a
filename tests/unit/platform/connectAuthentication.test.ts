// Connect authentication in the rendered stacks: where the token is (Secrets only), who
// holds it, the client Secrets, the certificates resource and the stack key it derives from.
import { expect } from "chai";
import { podModels } from "../../../lib/kube/analysis/pods";
import { deriveConnectToken, deriveNotebookToken } from "../../../lib/credentials/derivation";
import type { KubeManifest } from "../../../lib/kube/objects";
import { referencedSecrets } from "../../../lib/verify/objects";
import { CONNECT_CERTIFICATES_TYPE } from "../../../platform/connectCertificates";
import { evaluateWithAuthKey, ofKind, renderStack } from "../../support/stacks";

interface SecretLike extends KubeManifest {
  stringData?: Record<string, string>;
}

const OTHER_AUTH_KEY = "4d".repeat(32);

describe("Connect authentication in the rendered stacks", () => {
  for (const stack of ["dev", "prod", "local", "local-prod"] as const) {
    it(`${stack}: the server's Secret, one client Secret per namespace spark-41 grants, token and key secret`, async () => {
      const { manifests, config } = await renderStack(stack);
      const secrets = ofKind<SecretLike>(manifests, "Secret");
      const spark41 = config.releases.find((r) => r.name === "spark-41")!;
      const clients = secrets.filter((s) => s.metadata?.name === "spark-41-connect-client");
      expect(clients.map((s) => s.metadata!.namespace)).to.have.members(
        spark41.clients.map((grant) => grant.namespace),
      );
      for (const secret of clients) {
        expect(Object.keys(secret.stringData!).sort()).to.deep.equal(["ca.crt", "token"]);
        expect(secret.stringData!["token"]).to.equal("[secret]");
      }
      const server = secrets.find((s) => s.metadata?.name === "spark-41-connect-server")!;
      expect(server.metadata!.namespace).to.equal(spark41.namespace);
      expect(server.stringData!["spark-defaults.conf"]).to.equal("[secret]");
      expect(server.stringData!["tls.key"]).to.equal("[secret]");
      expect(
        secrets.filter((s) => s.metadata?.name?.startsWith("spark-35-connect-")),
      ).to.deep.equal([]);
    });
  }

  it("dev: only the Connect server's pod reads the server's Secret", async () => {
    const { manifests } = await renderStack("dev");
    const readers = podModels(manifests)
      .filter((pod) => referencedSecrets(pod).includes("spark-41-connect-server"))
      .map((pod) => pod.origin);
    expect(readers).to.deep.equal(["Deployment/spark/spark-41-connect"]);
  });

  it("local: no notebook's Jupyter token appears in what the program registers or exports", async () => {
    const { evaluation, everything } = await evaluateWithAuthKey("local", OTHER_AUTH_KEY);
    const notebooks = evaluation.resources.filter(
      (r) => r.type === "spark-platform:notebook:Notebook",
    );
    expect(notebooks.map((r) => r.name)).to.deep.equal([
      "team-data-science-data-science-lab-notebook",
    ]);
    expect(everything).not.to.contain(
      deriveNotebookToken(OTHER_AUTH_KEY, "team-data-science", "data-science-lab"),
    );
    expect(everything).not.to.contain(deriveConnectToken(OTHER_AUTH_KEY, "spark-41"));
  });

  it("the token appears nowhere in what the program registers or exports; one certificates resource, its key a secret output", async () => {
    const { evaluation, exported, everything } = await evaluateWithAuthKey("dev", OTHER_AUTH_KEY);
    expect(everything).not.to.contain(deriveConnectToken(OTHER_AUTH_KEY, "spark-41"));
    const certificates = evaluation.resources.filter((r) => r.type === CONNECT_CERTIFICATES_TYPE);
    expect(certificates.map((r) => [r.name, r.parent, r.additionalSecretOutputs])).to.deep.equal([
      ["spark-41-connect-certificates", "", ["serverKey"]],
    ]);
    expect(certificates[0]!.inputs).to.deep.include({
      serverCommonName: "spark-41-connect.spark.svc",
      ipAddresses: ["127.0.0.1"],
    });
    const routing = exported["jobRouting"] as Record<
      string,
      { authentication?: { kind: string; secret: string } }
    >;
    expect(routing["clickstream-sessionize"]!.authentication).to.deep.include({
      kind: "connect-token-tls",
      secret: "spark-41-connect-client",
    });
  });
});
