import { expect } from "chai";
import { REGISTRATION_TEXT, registrationOutcome } from "./authenticationControl";

// Driver logs as Spark 3.5.7's StandaloneAppClient writes them (trimmed).
const REFUSED = [
  "INFO StandaloneAppClient$ClientEndpoint: Connecting to master spark://spark-35-master.spark.svc:7077...",
  "WARN StandaloneAppClient$ClientEndpoint: Failed to connect to master spark-35-master.spark.svc:7077",
  "Caused by: java.lang.RuntimeException: java.lang.IllegalArgumentException: Unknown challenge message.",
  "ERROR StandaloneSchedulerBackend: Application has been killed. Reason: All masters are unresponsive! Giving up.",
  "IT-ERROR Py4JJavaError: An error occurred while calling None.org.apache.spark.api.java.JavaSparkContext.",
].join("\n");

describe("the authentication negative control (tests/cluster/authenticationControl.ts)", () => {
  it("a failed job whose driver could not register is the refusal, with the master's answer", () => {
    const outcome = registrationOutcome("Failed", REFUSED);
    expect(outcome.unexpected).to.deep.equal([]);
    expect(outcome.refusalLogged).to.equal(true);
    expect(outcome.evidence).to.have.length(3);
    expect(outcome.evidence[2]).to.contain(REGISTRATION_TEXT.giveUp);
  });

  it("the refusal holds without the master's answer (the connection closed first)", () => {
    const log = REFUSED.split("\n")
      .filter((l) => !l.includes(REGISTRATION_TEXT.refusal))
      .join("\n");
    const outcome = registrationOutcome("Failed", log);
    expect(outcome.unexpected).to.deep.equal([]);
    expect(outcome.refusalLogged).to.equal(false);
  });

  it("a job that ran, or registered, or failed for another reason is no refusal, said why", () => {
    const connected =
      "INFO StandaloneSchedulerBackend: Connected to Spark cluster with app ID app-20261207-0001";
    expect(registrationOutcome("Succeeded", connected).unexpected).to.deep.equal([
      "the job without the secret succeeded",
      `the driver registered with the master: ${connected}`,
      `the driver's log has no "${REGISTRATION_TEXT.attempt}"`,
      `the driver's log has no "${REGISTRATION_TEXT.giveUp}"`,
    ]);
    // A driver that failed before reaching the master (no secret at all, a bad config).
    const local =
      "Exception in thread main java.lang.IllegalArgumentException: requirement failed: A secret key must be specified via the spark.authenticate.secret config.";
    expect(registrationOutcome("Failed", local).unexpected).to.deep.equal([
      `the driver's log has no "${REGISTRATION_TEXT.attempt}"`,
      `the driver's log has no "${REGISTRATION_TEXT.giveUp}"`,
    ]);
  });
});
