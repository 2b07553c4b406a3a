import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { podModels } from "../../../lib/kube/analysis/pods";
import { stackFilePath } from "../../../tools/cli/stackFiles";
import { rawConfigFromStackFile } from "../../../lib/config/sources";
import {
  combinedDigest,
  deriveMetastorePassword,
  secretDataDigest,
} from "../../../lib/credentials/derivation";
import { evaluateProgram } from "../../../tools/render/evaluate";
import { kubernetesManifests } from "../../../tools/render/render";
import { CREDENTIALS_DIGEST_ANNOTATION } from "../../../lib/credentials/rollout";

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

/** The dev stack evaluated with these secrets (as Pulumi secrets): credential digest per pod template. */
async function digestsWith(secrets: Secrets): Promise<Record<string, string | undefined>> {
  const evaluation = await evaluateProgram(
    rawConfigFromStackFile(stackFilePath("dev")),
    {
      postgresAdminPassword: pulumi.secret(secrets.postgresAdminPassword),
      objectStoreAccessKey: pulumi.secret(secrets.objectStoreAccessKey),
      objectStoreSecretKey: pulumi.secret(secrets.objectStoreSecretKey),
    },
    "dev",
  );
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

  it("unchanged secrets, unchanged digests (no rollout on every up)", async () => {
    expect(changed(base, await digestsWith({ ...BASE }))).to.deep.equal([]);
  });
});

describe("pure: credential digests", () => {
  it("are salted, stable, and reveal nothing of a short password", () => {
    const db = secretDataDigest("spark-41/spark/spark-41-metastore-db", { password: "pw1" });
    expect(secretDataDigest("spark-41/spark/spark-41-metastore-db", { password: "pw1" })).to.equal(
      db,
    );
    expect(
      secretDataDigest("spark-35/spark/spark-35-metastore-db", { password: "pw1" }),
    ).not.to.equal(db);
    expect(
      secretDataDigest("spark-41/spark/spark-41-metastore-db", { password: "pw2" }),
    ).not.to.equal(db);
    // Key order does not matter; the data does.
    expect(secretDataDigest("s", { a: "1", b: "2" })).to.equal(
      secretDataDigest("s", { b: "2", a: "1" }),
    );
    expect(db).not.to.contain("pw1");
    const role = deriveMetastorePassword("pw1", "spark-41", "metastore_spark41");
    expect(db).not.to.contain(role);
    expect(combinedDigest({ a: db, b: db })).not.to.equal(combinedDigest({ a: db }));
  });
});
