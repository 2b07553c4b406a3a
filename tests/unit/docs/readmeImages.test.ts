import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../../tools/cli/stackFiles";
import { HADOOP_TOOLS_LIB_DIR, IMAGE_POSTGRES_DRIVER } from "../../../lib/jars/plan";

/** The README's "Images" section, up to the next heading. */
function imagesSection(): string {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Images\n");
  expect(start, "README has an Images section").to.be.at.least(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** What the README says about the Hive images must match what the platform relies on. */
describe("README Images: the facts of the apache/hive images", () => {
  it("says where their hadoop-aws is, and never that they lack s3a jars", () => {
    const text = imagesSection().replace(/\s+/g, " ");
    expect(text).to.contain(HADOOP_TOOLS_LIB_DIR);
    expect(text).to.contain("HADOOP_OPTIONAL_TOOLS=hadoop-aws");
    expect(text).not.to.match(/Hive images have no [^.;]*s3a/i);
  });

  it("says 3.1.3 ships a PostgreSQL driver too old for SCRAM and 4.0.0 none", () => {
    const text = imagesSection().replace(/\s+/g, " ");
    expect(IMAGE_POSTGRES_DRIVER["3.1.3"]).to.match(/^postgresql-9\.4/);
    expect(IMAGE_POSTGRES_DRIVER["4.0.0"]).to.equal(undefined);
    expect(text).to.match(/`apache\/hive:3\.1\.3` ships a 9\.4 one, too old for SCRAM/);
    expect(text).to.match(/`apache\/hive:4\.0\.0` ships none/);
    expect(text).not.to.match(/Hive images have no PostgreSQL JDBC driver/);
  });
});
