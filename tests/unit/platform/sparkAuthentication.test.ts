// RPC authentication in the rendered stacks: where the secret is (Secrets only), who holds
// it, the standalone client Secrets, and the stack key it derives from.
import { expect } from "chai";
import { podModels } from "../../../lib/kube/analysis/pods";
import { deriveSparkAuthSecret } from "../../../lib/credentials/derivation";
import type { KubeManifest } from "../../../lib/kube/objects";
import { rawConfigFromStackFile } from "../../../lib/config/sources";
import { referencedSecrets } from "../../../lib/verify/objects";
import { stackFilePath } from "../../../tools/cli/stackFiles";
import { evaluateProgram } from "../../../tools/render/evaluate";
import { RENDER_SPARK_AUTH_KEY } from "../../../tools/render/mocks";
import { kubernetesManifests } from "../../../tools/render/render";
import { PLACEHOLDER_SECRETS } from "../../../tools/cli/stackFiles";
import { SPARK_AUTH_KEY_TYPE } from "../../../platform/sparkAuthKey";
import { evaluateWithAuthKey, ofKind, renderStack } from "../../support/stacks";

interface SecretLike extends KubeManifest {
  stringData?: Record<string, string>;
}

const OTHER_AUTH_KEY = "3c".repeat(32);

describe("RPC authentication in the rendered stacks", () => {
  for (const stack of ["dev", "prod", "local", "local-prod"] as const) {
    it(`${stack}: one client Secret per namespace spark-35 grants, none for spark-41 (Connect), whose own Secret holds the secret alone; values secret`, async () => {
      const { manifests, config } = await renderStack(stack);
      const clientSecrets = ofKind<SecretLike>(manifests, "Secret").filter((s) =>
        s.metadata?.name?.endsWith("-spark-client"),
      );
      const spark35 = config.releases.find((r) => r.name === "spark-35")!;
      expect(
        clientSecrets.map((s) => `${s.metadata!.namespace}/${s.metadata!.name}`),
      ).to.have.members(spark35.clients.map((grant) => `${grant.namespace}/spark-35-spark-client`));
      for (const secret of [
        ...clientSecrets,
        ...ofKind<SecretLike>(manifests, "Secret").filter(
          (s) => s.metadata?.name === "spark-35-spark-auth",
        ),
      ]) {
        expect(Object.values(secret.stringData ?? {}), secret.metadata!.name).to.satisfy(
          (values: string[]) => values.length === 2 && values.every((v) => v === "[secret]"),
        );
      }
      const spark41 = ofKind<SecretLike>(manifests, "Secret").filter((s) =>
        s.metadata?.name?.startsWith("spark-41-spark-"),
      );
      expect(spark41.map((s) => s.metadata!.name)).to.deep.equal(["spark-41-spark-auth"]);
      expect(spark41[0]!.stringData).to.deep.equal({ secret: "[secret]" });
    });
  }

  it("dev: a client Secret is created after the client Namespace the stack creates", async () => {
    const { resources } = await renderStack("dev");
    const secret = resources.find((r) => r.name === "spark-35-spark-client-airflow")!;
    expect(
      secret.dependencies.some((d) => d.endsWith("kubernetes:core/v1:Namespace::airflow")),
    ).to.equal(true);
  });

  it("dev: only the master and workers (and no other pod) read the release's authentication Secret", async () => {
    const { manifests } = await renderStack("dev");
    const readers = podModels(manifests)
      .filter((pod) => referencedSecrets(pod).includes("spark-35-spark-auth"))
      .map((pod) => pod.origin);
    expect(readers).to.deep.equal([
      "Deployment/spark/spark-35-master",
      "Deployment/spark/spark-35-worker",
    ]);
  });

  it("the secret appears nowhere in what the program registers or exports; the key resource is one secret output", async () => {
    const { evaluation, exported, everything } = await evaluateWithAuthKey("dev", OTHER_AUTH_KEY);
    for (const release of ["spark-35", "spark-41"]) {
      expect(everything).not.to.contain(deriveSparkAuthSecret(OTHER_AUTH_KEY, release));
    }
    expect(everything).not.to.contain(OTHER_AUTH_KEY);
    const keys = evaluation.resources.filter((r) => r.type === SPARK_AUTH_KEY_TYPE);
    expect(keys.map((r) => [r.name, r.parent, r.additionalSecretOutputs])).to.deep.equal([
      ["spark-platform-spark-authentication-key", "", ["key"]],
    ]);
    // The client Secret's name is a plain output; its value is not an output at all.
    const releases = exported["releases"] as Record<string, { clientSecret?: string }>;
    expect(releases["spark-35"]!.clientSecret).to.equal("spark-35-spark-client");
    // The Connect release's client Secret is its own (token and CA), never the 3.5 one.
    expect(releases["spark-41"]!.clientSecret).to.equal("spark-41-connect-client");
  });

  it("a stack with no standalone release makes no client authentication Secret, only the Connect release's own (the key stays: Connect tokens and secrets derive from it)", async () => {
    const raw = rawConfigFromStackFile(stackFilePath("dev"));
    const values = JSON.parse(JSON.stringify(raw.values)) as {
      releases: { mode: string }[];
      jobs?: { release: string }[];
    };
    values.releases = values.releases.filter((r) => r.mode !== "standalone");
    values.jobs = (values.jobs ?? []).filter((j) => j.release !== "spark-35");
    const evaluation = await evaluateProgram({ ...raw, values }, PLACEHOLDER_SECRETS, "dev");
    expect(evaluation.resources.filter((r) => r.type === SPARK_AUTH_KEY_TYPE)).to.have.length(1);
    expect(
      kubernetesManifests(evaluation.resources)
        .filter((m) => m.kind === "Secret" && /-spark-(auth|client)$/.test(m.metadata?.name ?? ""))
        .map((m) => m.metadata?.annotations?.["spark-platform.io/source"]),
    ).to.deep.equal(["components/spark-release/manifests/authentication.ts#connectRpcSecret"]);
    expect(RENDER_SPARK_AUTH_KEY).to.match(/^[0-9a-f]{64}$/);
  });
});
