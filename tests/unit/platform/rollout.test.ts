import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { podModels } from "../../../lib/kube/analysis/pods";
import { stackFilePath } from "../../../tools/cli/stackFiles";
import { rawConfigFromStackFile } from "../../../lib/config/sources";
import { evaluateProgram, resolve } from "../../../tools/render/evaluate";
import { RENDER_DIGEST_KEY, RENDER_SPARK_AUTH_KEY } from "../../../tools/render/mocks";
import { kubernetesManifests } from "../../../tools/render/render";
import { CREDENTIALS_DIGEST_ANNOTATION } from "../../../lib/credentials/rollout";
import { DIGEST_KEY_TYPE } from "../../../platform/digestKey";

interface Secrets {
  postgresAdminPassword: string;
  objectStoreAccessKey: string;
  objectStoreSecretKey: string;
}

const BASE: Secrets = {
  postgresAdminPassword: "pw1",
  objectStoreAccessKey: "rollout-access-1",
  objectStoreSecretKey: "rollout-secret-1",
};

/** The dev stack evaluated with these secrets (as Pulumi secrets) and these keys. */
function evaluateDev(
  secrets: Secrets,
  digestKey = RENDER_DIGEST_KEY,
  sparkAuthKey = RENDER_SPARK_AUTH_KEY,
) {
  return evaluateProgram(
    rawConfigFromStackFile(stackFilePath("dev")),
    {
      postgresAdminPassword: pulumi.secret(secrets.postgresAdminPassword),
      objectStoreAccessKey: pulumi.secret(secrets.objectStoreAccessKey),
      objectStoreSecretKey: pulumi.secret(secrets.objectStoreSecretKey),
    },
    "dev",
    digestKey,
    sparkAuthKey,
  );
}

/** Credential digest per pod template of the dev stack. */
async function digestsWith(
  secrets: Secrets,
  digestKey = RENDER_DIGEST_KEY,
  sparkAuthKey = RENDER_SPARK_AUTH_KEY,
): Promise<Record<string, string | undefined>> {
  const evaluation = await evaluateDev(secrets, digestKey, sparkAuthKey);
  const pods = podModels(kubernetesManifests(evaluation.resources)).filter(
    (p) => !p.origin.startsWith("ConfigMap/"),
  );
  const manifests = kubernetesManifests(evaluation.resources) as {
    kind: string;
    metadata?: { namespace?: string; name?: string };
    spec?: { template?: { metadata?: { annotations?: Record<string, string> } } };
  }[];
  return Object.fromEntries(
    pods.map((p) => {
      const m = manifests.find(
        (x) => `${x.kind}/${x.metadata?.namespace}/${x.metadata?.name}` === p.origin,
      )!;
      return [p.origin, m.spec?.template?.metadata?.annotations?.[CREDENTIALS_DIGEST_ANNOTATION]];
    }),
  );
}

const changed = (a: Record<string, string | undefined>, b: Record<string, string | undefined>) =>
  Object.keys(a)
    .filter((k) => a[k] !== b[k])
    .sort();

describe("credential rotation rolls exactly the pods holding the rotated credentials", () => {
  let base: Record<string, string | undefined>;
  before(async () => {
    base = await digestsWith(BASE);
  });

  it("every pod holding credentials carries a digest: plain hex, no secret, not marked secret", () => {
    expect(Object.keys(base).sort()).to.deep.equal([
      "Deployment/spark/spark-35-history",
      "Deployment/spark/spark-35-master",
      "Deployment/spark/spark-35-metastore",
      "Deployment/spark/spark-35-worker",
      "Deployment/spark/spark-41-connect",
      "Deployment/spark/spark-41-history",
      "Deployment/spark/spark-41-metastore",
      "Job/spark/spark-35-metastore-schema-init",
      "Job/spark/spark-41-metastore-schema-init",
    ]);
    for (const [origin, digest] of Object.entries(base)) {
      // A secret-marked value would render as "[secret]"; a leak would show the value.
      expect(digest, origin).to.match(/^[0-9a-f]{64}$/);
    }
  });

  it("the admin password (role passwords derive from it): the metastores and their schema-init Jobs", async () => {
    const rotated = await digestsWith({ ...BASE, postgresAdminPassword: "pw2" });
    expect(changed(base, rotated)).to.deep.equal([
      "Deployment/spark/spark-35-metastore",
      "Deployment/spark/spark-41-metastore",
      "Job/spark/spark-35-metastore-schema-init",
      "Job/spark/spark-41-metastore-schema-init",
    ]);
  });

  it("the object-store keys: every pod holding them, no schema-init Job", async () => {
    const rotated = await digestsWith({ ...BASE, objectStoreSecretKey: "rollout-secret-2" });
    expect(changed(base, rotated)).to.deep.equal([
      "Deployment/spark/spark-35-history",
      "Deployment/spark/spark-35-master",
      "Deployment/spark/spark-35-metastore",
      "Deployment/spark/spark-35-worker",
      "Deployment/spark/spark-41-connect",
      "Deployment/spark/spark-41-history",
      "Deployment/spark/spark-41-metastore",
    ]);
  });

  it("the Spark authentication key (a replaced key resource): exactly spark-35's master and workers, and spark-41's Connect server (its token)", async () => {
    const rotated = await digestsWith(BASE, RENDER_DIGEST_KEY, "7e".repeat(32));
    expect(changed(base, rotated)).to.deep.equal([
      "Deployment/spark/spark-35-master",
      "Deployment/spark/spark-35-worker",
      "Deployment/spark/spark-41-connect",
    ]);
  });

  it("unchanged secrets, unchanged digests (no rollout on every up)", async () => {
    expect(changed(base, await digestsWith({ ...BASE }))).to.deep.equal([]);
  });
});

describe("the digest key (platform/digestKey.ts) behind the credential digests", () => {
  const OTHER_KEY = "5a".repeat(32);

  it("a different key changes the digest of every pod holding credentials, and nothing else", async () => {
    // What a stack upgraded from the unkeyed digests, or given a new key, sees once.
    const base = await digestsWith(BASE);
    const rekeyed = await digestsWith(BASE, OTHER_KEY);
    expect(changed(base, rekeyed)).to.deep.equal(Object.keys(base).sort());
    const before = await evaluateDev(BASE);
    const after = await evaluateDev(BASE, OTHER_KEY);
    const withoutDigests = (evaluation: typeof before) =>
      JSON.stringify(evaluation.resources).replace(/"[0-9a-f]{64}"/g, '"<digest>"');
    expect(withoutDigests(after)).to.equal(withoutDigests(before));
  });

  it("appears nowhere in what the program registers or exports, and is a secret output", async () => {
    const evaluation = await evaluateDev(BASE, OTHER_KEY);
    const exported = await resolve(
      pulumi.all(evaluation.exports as unknown as Record<string, pulumi.Output<unknown>>),
    );
    const everything = JSON.stringify([evaluation.resources, exported]);
    expect(everything).not.to.contain(OTHER_KEY);
    expect(everything).not.to.contain(OTHER_KEY.slice(0, 16));
    const keyResources = evaluation.resources.filter((r) => r.type === DIGEST_KEY_TYPE);
    expect(keyResources.map((r) => [r.name, r.parent, r.additionalSecretOutputs])).to.deep.equal([
      ["spark-platform-credentials-digest-key", "", ["key"]],
    ]);
  });
});
