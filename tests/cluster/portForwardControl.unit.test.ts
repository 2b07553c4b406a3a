import { expect } from "chai";
import { attemptComplaints } from "./portForwardControl";

const refused = {
  name: "no token",
  code: 1,
  ran: false,
  errorLine:
    'SparkConnectGrpcException: <_MultiThreadedRendezvous of RPC that terminated with: status = StatusCode.UNAUTHENTICATED details = "Invalid authentication token">',
};

describe("tests/cluster/portForwardControl: what each attempt must show", () => {
  it("a refusal is a failed session with UNAUTHENTICATED", () => {
    expect(attemptComplaints(refused, "refused")).to.deep.equal([]);
  });

  it("a session that ran, or failed otherwise, is no refusal; said why", () => {
    expect(attemptComplaints({ name: "x", code: 0, ran: true }, "refused")).to.deep.equal([
      "x: the session ran its query",
      "x: ended without UNAUTHENTICATED: ",
    ]);
    expect(
      attemptComplaints({ ...refused, errorLine: "status = StatusCode.UNAVAILABLE" }, "refused"),
    ).to.deep.equal(["no token: ended without UNAUTHENTICATED: status = StatusCode.UNAVAILABLE"]);
  });

  it("the attempt with the token must run", () => {
    expect(attemptComplaints({ name: "token", code: 0, ran: true }, "runs")).to.deep.equal([]);
    expect(attemptComplaints(refused, "runs")).to.have.length(1);
  });
});
