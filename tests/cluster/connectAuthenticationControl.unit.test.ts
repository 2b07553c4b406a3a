import { expect } from "chai";
import { refusalComplaints, UNAUTHENTICATED } from "./connectAuthenticationControl";

const REFUSED = [
  "Traceback (most recent call last):",
  `pyspark.errors.exceptions.connect.SparkConnectGrpcException: <_MultiThreadedRendezvous of RPC that terminated with: status = StatusCode.${UNAUTHENTICATED} details = "Invalid authentication token">`,
  `IT-ERROR SparkConnectGrpcException: <_MultiThreadedRendezvous of RPC that terminated with:`,
].join("\n");

describe("the Connect token negative control (tests/cluster/connectAuthenticationControl.ts)", () => {
  it("a failed session with the server's UNAUTHENTICATED is the refusal", () => {
    expect(refusalComplaints("no token", "Failed", REFUSED)).to.deep.equal([]);
  });

  it("a session that ran, or failed for another reason, is no refusal, said why", () => {
    const ran = 'IT-RESULT {"mode": "connect"}';
    expect(refusalComplaints("no token", "Succeeded", ran)).to.deep.equal([
      "the session with no token succeeded",
      `the session with no token ended without ${UNAUTHENTICATED}`,
      "the session with no token ran its job",
    ]);
    expect(
      refusalComplaints("a wrong token", "Failed", "status = StatusCode.UNAVAILABLE"),
    ).to.deep.equal([`the session with a wrong token ended without ${UNAUTHENTICATED}`]);
  });
});
