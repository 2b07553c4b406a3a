import { expect } from "chai";
import { historyIsolation } from "../../../../lib/verify/history";
import { editableManifests, failing, find, objectsOf } from "../../../support/verifier";

describe("lib/verify/history: history-server isolation", () => {
  it("fails a history server reading the other release's prefix", async () => {
    const manifests = await editableManifests("dev");
    const conf = find(manifests, "ConfigMap", "spark-41-history-conf");
    conf.data["spark-defaults.conf"] = conf.data["spark-defaults.conf"].replace(
      "spark.history.fs.logDirectory s3a://spark-logs/4.1/events",
      "spark.history.fs.logDirectory s3a://spark-logs/3.5/events",
    );
    const text = failing(historyIsolation(objectsOf(manifests))).join("\n");
    expect(text).to.include(
      "Deployment/spark/spark-41-history: reads s3a://spark-logs/3.5/events but Deployment/spark/spark-41-connect of the same release writes s3a://spark-logs/4.1/events",
    );
    expect(text).to.include(
      "overlaps s3a://spark-logs/3.5/events, which Deployment/spark/spark-35-history (release spark-35) reads",
    );
  });

  it("fails writers whose prefix contains another release's", async () => {
    const manifests = await editableManifests("prod");
    const conf = find(manifests, "ConfigMap", "spark-35-spark-defaults");
    conf.data["spark-defaults.conf"] = conf.data["spark-defaults.conf"].replace(
      "spark.eventLog.dir s3a://spark-logs/3.5/events",
      "spark.eventLog.dir s3a://spark-logs",
    );
    const text = failing(historyIsolation(objectsOf(manifests))).join("\n");
    expect(text).to.include(
      "Deployment/spark-35/spark-35-master: s3a://spark-logs overlaps s3a://spark-logs/4.1/events",
    );
    expect(text).to.include(
      "Deployment/spark-35/spark-35-history: reads s3a://spark-logs/3.5/events but",
    );
  });
});
