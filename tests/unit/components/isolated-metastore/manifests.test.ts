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
        "HIVE_METASTORE_DB_PASSWORD",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
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
      expect(envNames(container)).to.deep.equal([
        "HADOOP_CLIENT_OPTS",
        "HIVE_METASTORE_DB_PASSWORD",
      ]);
      const heap = /-Xmx(\d+m)/.exec(container.env![0]!.value!)![1]!;
      expect(memoryToMiB(container.resources!.limits!["memory"]!)).to.be.greaterThan(
        sizeToMiB(heap),
      );
    });
  }
});
