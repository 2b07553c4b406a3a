import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, RawConfig } from "../../../../lib/config/model";
import { rawConfigFromStackFile } from "../../../../lib/config/sources";
import { stackFilePath } from "../../../../tools/cli/stackFiles";
import { deriveMetastorePassword } from "../../../../lib/credentials/derivation";
import { evaluateProgram, type Evaluation } from "../../../../tools/render/evaluate";
import type { KubeManifest } from "../../../../lib/kube/objects";
import { kubernetesManifests } from "../../../../tools/render/render";
import { parseValid } from "../../../support/stacks";

/** Distinctive secret values: finding one in plain text anywhere is a leak. */
export const CANARY = {
  postgresAdminPassword: "canary-pg-admin-3f9c1e7a",
  objectStoreAccessKey: "canary-access-8b2d4a61",
  objectStoreSecretKey: "canary-secret-5e7f90c2",
} as const;

/** Metastore settings the variant changes: they reach the Deployment, never the database. */
export const VARIANT_METASTORE = { image: "registry.example/hive:patched", heapMemory: "1g" };

export interface VariantStack {
  readonly config: PlatformConfig;
  readonly evaluation: Evaluation;
  readonly manifests: readonly KubeManifest[];
  /** Derived metastore passwords per release (from the canary admin password). */
  readonly metastorePasswords: readonly string[];
}

/**
 * The dev stack with every metastore's image and heap changed and the benchmark enabled,
 * evaluated with canary secrets passed as Pulumi secrets (as `pulumi.Config.getSecret`
 * returns them). One extra evaluation, shared by the credential and data-protection suites
 * to keep the test run short.
 */
function variantRaw(): RawConfig {
  const dev = rawConfigFromStackFile(stackFilePath("dev"));
  const releases = (dev.values["releases"] as Record<string, unknown>[]).map((release) => ({
    ...release,
    hiveMetastore: {
      ...(release["hiveMetastore"] as Record<string, unknown>),
      ...VARIANT_METASTORE,
    },
  }));
  return {
    ...dev,
    values: {
      ...dev.values,
      releases,
      benchmark: { enabled: true, image: "registry.example/pyspark-client:4.1.0" },
    },
  };
}

let cached: Promise<VariantStack> | undefined;

export function renderVariant(): Promise<VariantStack> {
  if (!cached) {
    const raw = variantRaw();
    const config = parseValid(raw);
    cached = evaluateProgram(
      raw,
      {
        postgresAdminPassword: pulumi.secret(CANARY.postgresAdminPassword),
        objectStoreAccessKey: pulumi.secret(CANARY.objectStoreAccessKey),
        objectStoreSecretKey: pulumi.secret(CANARY.objectStoreSecretKey),
      },
      "dev",
    ).then((evaluation) => ({
      config,
      evaluation,
      manifests: kubernetesManifests(evaluation.resources),
      metastorePasswords: config.releases
        .filter((r) => r.metastore.enabled)
        .map((r) =>
          deriveMetastorePassword(CANARY.postgresAdminPassword, r.name, r.metastore.role),
        ),
    }));
  }
  return cached;
}
