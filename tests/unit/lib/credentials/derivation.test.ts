import { expect } from "chai";
import { deriveMetastorePassword } from "../../../../lib/credentials/derivation";

describe("pure: credentials", () => {
  it("metastore passwords are derived per release and role, never equal, never the admin's", () => {
    const a = deriveMetastorePassword("admin", "spark-35", "metastore_spark35");
    const b = deriveMetastorePassword("admin", "spark-41", "metastore_spark41");
    expect(a).to.have.length(40);
    expect(a).not.to.equal(b);
    expect(a).not.to.contain("admin");
    expect(deriveMetastorePassword("admin", "spark-35", "metastore_spark35")).to.equal(a);
    expect(deriveMetastorePassword("rotated", "spark-35", "metastore_spark35")).not.to.equal(a);
  });
});
