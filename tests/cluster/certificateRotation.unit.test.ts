import { expect } from "chai";
import { oldCaComplaints } from "./certificateRotation";

describe("tests/cluster/certificateRotation: a client still trusting the old CA", () => {
  it("is refused at the TLS handshake", () => {
    expect(
      oldCaComplaints({
        name: "the old CA",
        code: 1,
        ran: false,
        errorLine: "status = StatusCode.UNAVAILABLE",
      }),
    ).to.deep.equal([]);
  });

  it("a session that ran, or one refused for its token, is no handshake refusal; said why", () => {
    expect(oldCaComplaints({ name: "the old CA", code: 0, ran: true })).to.deep.equal([
      "the old CA: the session ran its query",
      "the old CA: not refused at the TLS handshake: ",
    ]);
    expect(
      oldCaComplaints({
        name: "the old CA",
        code: 1,
        ran: false,
        errorLine: "status = StatusCode.UNAUTHENTICATED",
      }),
    ).to.deep.equal([
      "the old CA: not refused at the TLS handshake: status = StatusCode.UNAUTHENTICATED",
    ]);
  });
});
