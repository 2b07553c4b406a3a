import { expect } from "chai";
import type { IContainer } from "kubernetes-models/v1/Container";
import {
  metastoreDeployment,
  schemaInitJob,
} from "../../../../components/isolated-metastore/manifests";
import { memoryToMiB, sizeToMiB } from "../../../../lib/units/sizes";
import { metastoreJdbcUrl } from "../../../../lib/naming/endpoints";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

const config = parseValid(rawConfig(baseValues()));
const envNames = (c: IContainer) => (c.env ?? []).map((e) => e.name);

/**
 * What the apache/hive entrypoint reads (packaging/src/docker/entrypoint.sh): it sets
 * SKIP_SCHEMA_INIT from IS_RESUME, reads DB_DRIVER only while initialising, and appends
 * SERVICE_OPTS after its own -Xmx1G. A Job whose command replaces the entrypoint reads
 * none of these.
 */
describe("metastore env: only settings that have an effect", () => {
  for (const release of config.releases) {
    it(`${release.name}: the Deployment sets what the entrypoint reads, nothing it overwrites`, () => {
      const container = metastoreDeployment(config, release).spec!.template.spec!.containers[0]!;
      expect(container.command, "the image's entrypoint runs").to.equal(undefined);
      expect(envNames(container)).to.deep.equal([
        "SERVICE_NAME",
        "IS_RESUME",
        "SERVICE_OPTS",
        // The path of the object-store keys' file (the Hive image's SDK v1 reads it).
        "AWS_CREDENTIAL_PROFILES_FILE",
        // Read by Hadoop's shell scripts (bin/hive runs through bin/hadoop): puts the image's
        // own hadoop-aws and SDK from tools/lib on the classpath (lib/jars/plan.ts).
        "HADOOP_OPTIONAL_TOOLS",
      ]);
      const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
      expect(env["IS_RESUME"]).to.equal("true");
      expect(env["SERVICE_OPTS"]).to.equal(
        `-Xmx${release.metastore.heapMiB}m -Djavax.jdo.option.ConnectionURL=${metastoreJdbcUrl(config, release)}`,
      );
    });

    it(`${release.name}: the schema-init Job replaces the entrypoint and sets only what schematool reads`, () => {
      const container = schemaInitJob(config, release).spec!.template.spec!.containers[0]!;
      expect(container.command?.[0]).to.equal("/bin/bash");
      expect(envNames(container)).to.deep.equal(["HADOOP_CLIENT_OPTS"]);
      const heap = /-Xmx(\d+m)/.exec(container.env![0]!.value!)![1]!;
      expect(memoryToMiB(container.resources!.limits!["memory"]!)).to.be.greaterThan(
        sizeToMiB(heap),
      );
    });
  }
});

describe("metastore credentials: files from Secrets, none in env", () => {
  for (const release of config.releases) {
    it(`${release.name}: the metastore and schema-init mount the password file; only the metastore the object-store keys`, () => {
      const pods = {
        metastore: metastoreDeployment(config, release).spec!.template.spec!,
        "schema-init": schemaInitJob(config, release).spec!.template.spec!,
      };
      for (const [name, spec] of Object.entries(pods)) {
        const container = spec.containers[0]!;
        expect(
          (container.env ?? []).filter((e) => e.valueFrom?.secretKeyRef),
          `${name}: no Secret in env`,
        ).to.deep.equal([]);
        const secretVolumes = (spec.volumes ?? [])
          .filter((v) => v.secret)
          .map((v) => [v.secret!.secretName, v.secret!.items!.map((i) => i.key)]);
        expect(secretVolumes, name).to.deep.equal([
          [release.names.metastoreDbSecret, ["connection-password.xml"]],
          ...(name === "metastore"
            ? [[release.names.metastoreObjectStoreSecret, ["aws-credentials"]]]
            : []),
        ]);
        expect(container.volumeMounts).to.deep.include({
          name: "hive-db-password",
          mountPath: "/etc/hive-db",
          readOnly: true,
        });
      }
    });
  }
});
