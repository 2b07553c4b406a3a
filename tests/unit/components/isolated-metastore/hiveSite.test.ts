import { expect } from "chai";
import {
  connectionPasswordXml,
  hiveSite,
  hiveSiteXml,
  renderHadoopXml,
} from "../../../../components/isolated-metastore/hiveSite";
import { metastoreJdbcUrl } from "../../../../lib/naming/endpoints";
import { historyServerDefaults, sparkDefaults } from "../../../../lib/spark/defaults";
import { hadoopLineOf } from "../../../../lib/spark/versions";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

const config = parseValid(rawConfig(baseValues()));
const [standalone, connect] = config.releases as [
  (typeof config.releases)[0],
  (typeof config.releases)[0],
];

describe("pure: hive-site", () => {
  it("points at the release's own database and includes the password from a file", () => {
    const site = hiveSite(config, connect);
    expect(site["javax.jdo.option.ConnectionURL"]).to.equal(metastoreJdbcUrl(config, connect));
    expect(metastoreJdbcUrl(config, connect)).to.equal(
      "jdbc:postgresql://postgresql.spark-infra.svc:5432/metastore_spark41?sslmode=disable",
    );
    expect(site["javax.jdo.option.ConnectionUserName"]).to.equal("metastore_spark41");
    expect(site).not.to.have.property("javax.jdo.option.ConnectionPassword");
    const xml = hiveSiteXml(config, connect);
    expect(xml).to.contain('<configuration xmlns:xi="http://www.w3.org/2001/XInclude">');
    expect(xml).to.contain('<xi:include href="/etc/hive-db/connection-password.xml"/>');
    expect(xml).not.to.contain("ConnectionPassword");
    expect(site["hive.metastore.schema.verification"]).to.equal("true");
    expect(site["datanucleus.schema.autoCreateAll"]).to.equal("false");
  });

  it("s3a settings follow the Hadoop of the process that reads them, not the release's Spark", () => {
    const provider = "fs.s3a.aws.credentials.provider";
    // Env first (clients' own drivers), then the profile file (the platform's pods).
    const sdkV1 =
      "com.amazonaws.auth.EnvironmentVariableCredentialsProvider,com.amazonaws.auth.profile.ProfileCredentialsProvider";
    const sdkV2 =
      "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider,software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider";
    // Both Hive images carry Hadoop 3.3.x (AWS SDK v1), whatever their Spark release's Hadoop.
    expect(hiveSite(config, standalone)[provider]).to.equal(sdkV1);
    expect(hiveSite(config, connect)[provider]).to.equal(sdkV1);
    // Spark 3.5 bundles Hadoop 3.3.4 (SDK v1), Spark 4.1 Hadoop 3.4.2 (SDK v2); the History
    // Server runs the release's Spark.
    for (const conf of [
      sparkDefaults(config, standalone),
      historyServerDefaults(config, standalone),
    ])
      expect(conf[`spark.hadoop.${provider}`]).to.equal(sdkV1);
    for (const conf of [sparkDefaults(config, connect), historyServerDefaults(config, connect)]) {
      expect(conf[`spark.hadoop.${provider}`]).to.equal(sdkV2);
      expect(conf["spark.hadoop.fs.s3a.endpoint.region"]).to.equal("us-east-1");
    }
    expect(hadoopLineOf("3.3.6").profileFileEnv).to.equal("AWS_CREDENTIAL_PROFILES_FILE");
    expect(hadoopLineOf("3.4.2").profileFileEnv).to.equal("AWS_SHARED_CREDENTIALS_FILE");
    expect(() => hadoopLineOf("3.2.4")).to.throw(/no s3a settings for Hadoop 3.2.4/);
  });

  it("renders well-formed, escaped Hadoop XML in a stable order", () => {
    const xml = renderHadoopXml({ b: "x<y&z", a: "1" });
    expect(xml).to.equal(
      '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n' +
        "  <property>\n    <name>a</name>\n    <value>1</value>\n  </property>\n" +
        "  <property>\n    <name>b</name>\n    <value>x&lt;y&amp;z</value>\n  </property>\n" +
        "</configuration>\n",
    );
  });

  it("the password file is a Hadoop configuration holding only the escaped password", () => {
    expect(connectionPasswordXml('p<w&"d')).to.equal(
      '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n' +
        "  <property>\n    <name>javax.jdo.option.ConnectionPassword</name>\n" +
        "    <value>p&lt;w&amp;&quot;d</value>\n  </property>\n</configuration>\n",
    );
    expect(renderHadoopXml({ a: "1" }, ["/x/y.xml"])).to.equal(
      '<?xml version="1.0" encoding="UTF-8"?>\n<configuration xmlns:xi="http://www.w3.org/2001/XInclude">\n' +
        "  <property>\n    <name>a</name>\n    <value>1</value>\n  </property>\n" +
        '  <xi:include href="/x/y.xml"/>\n</configuration>\n',
    );
  });
});
