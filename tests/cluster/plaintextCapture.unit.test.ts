import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "chai";
import { parseSparkProperties } from "../../lib/kube/objects";
import {
  capturedPath,
  countBetween,
  markerElsewhere,
  newMarker,
  parseCapture,
  plaintextComplaints,
  sumCaptures,
  type CaptureResult,
} from "./plaintextCapture";
import { withRpcEncryption } from "./rpcEncryptionSwitch";

const capture = (over: Partial<CaptureResult> = {}): CaptureResult => ({
  frames: 100,
  bytes: 50_000,
  drops: 0,
  markers: { m: 0 },
  markerFlows: { m: {} },
  flows: {
    "10.244.0.5:40000>10.244.1.7:7077": 1200,
    "10.244.1.7:7077>10.244.0.5:40000": 800,
    "10.244.0.5:40002>10.244.0.9:35000": 0,
  },
  ...over,
});
const CLIENT = ["10.244.0.5"];
const MASTER = ["10.244.1.7"];
const path = (c: CaptureResult, name = "between the client and the master") =>
  capturedPath(c, "m", name, CLIENT, MASTER);
const withMarker = (flows: Record<string, number>) =>
  capture({
    markers: { m: Object.values(flows).reduce((a, b) => a + b, 0) },
    markerFlows: { m: flows },
  });

describe("tests/cluster/plaintextCapture: the capture's verdict", () => {
  it("reads sniff.py's result line", () => {
    const line = `CAPTURE-READY\nCAPTURE ${JSON.stringify(capture())}\n`;
    expect(parseCapture(line)).to.deep.equal(capture());
    expect(() => parseCapture("CAPTURE-READY\n")).to.throw(/printed no result/);
  });

  it("sums the nodes' captures: frames, drops, marker hits per flow and flows", () => {
    const sum = sumCaptures([
      capture({ markers: { m: 1 }, markerFlows: { m: { a: 1 } }, drops: 2 }),
      capture({ markers: { m: 3, n: 1 }, markerFlows: { m: { a: 2, b: 1 }, n: { c: 1 } } }),
    ]);
    expect(sum.frames).to.equal(200);
    expect(sum.drops).to.equal(2);
    expect(sum.markers).to.deep.equal({ m: 4, n: 1 });
    expect(sum.markerFlows).to.deep.equal({ m: { a: 3, b: 1 }, n: { c: 1 } });
    expect(sum.flows["10.244.0.5:40000>10.244.1.7:7077"]).to.equal(2400);
  });

  it("counts between two sets of addresses in both directions, and only those", () => {
    expect(countBetween(capture().flows, CLIENT, MASTER)).to.equal(2000);
    expect(countBetween(capture().flows, MASTER, CLIENT)).to.equal(2000);
    expect(countBetween(capture().flows, CLIENT, ["10.244.9.9"])).to.equal(0);
    expect(countBetween({ other: 4 }, CLIENT, MASTER)).to.equal(0);
  });

  it("encrypted: passes with no marker on the paths, whatever else carried it", () => {
    const elsewhere = withMarker({ "10.244.0.5:41000>10.96.0.20:9000": 7 });
    expect(
      plaintextComplaints("spark-35", "encrypted", elsewhere, [path(elsewhere)]),
    ).to.deep.equal([]);
    expect(markerElsewhere(elsewhere, "m", [path(elsewhere)])).to.deep.equal([
      "10.244.0.5:41000>10.96.0.20:9000 (7)",
    ]);
  });

  it("encrypted: fails the marker on a path, a path the capture did not see, and drops", () => {
    const leaked = capture({ ...withMarker({ "10.244.1.7:7077>10.244.0.5:40000": 3 }), drops: 1 });
    const blind = capturedPath(leaked, "m", "between the client and the workers", CLIENT, [
      "10.9.9.9",
    ]);
    expect(
      plaintextComplaints("spark-35", "encrypted", leaked, [path(leaked), blind]),
    ).to.deep.equal([
      "spark-35 (encrypted): the capture saw no bytes between the client and the workers",
      "spark-35: its job's marker crossed between the client and the master in plain text (3 frames)",
      "spark-35: the capture dropped 1 frames, so a plain-text one could be among them",
    ]);
  });

  it("the control (plain): must find the marker on a path, not merely somewhere", () => {
    const onPath = withMarker({ "10.244.0.5:40000>10.244.1.7:7077": 5 });
    expect(plaintextComplaints("spark-41", "plain", onPath, [path(onPath)])).to.deep.equal([]);
    const offPath = withMarker({ "10.244.0.5:41000>10.96.0.20:9000": 5 });
    expect(plaintextComplaints("spark-41", "plain", offPath, [path(offPath)])).to.deep.equal([
      "spark-41 with RPC encryption off: its job's marker showed on none of its paths, so the capture would miss plain text",
    ]);
  });
  it("turns encryption off and back on in a spark-defaults text, leaving the rest", () => {
    const text = "spark.authenticate true\nspark.network.crypto.enabled true\nspark.ui.port 4040\n";
    const off = parseSparkProperties(withRpcEncryption(text, false));
    expect(off).to.deep.equal({
      "spark.authenticate": "true",
      "spark.network.crypto.enabled": "false",
      "spark.io.encryption.enabled": "false",
      "spark.ui.port": "4040",
    });
    expect(
      parseSparkProperties(withRpcEncryption(withRpcEncryption(text, false), true)),
    ).to.include({ "spark.network.crypto.enabled": "true", "spark.io.encryption.enabled": "true" });
  });

  it("markers are fresh and name their release", () => {
    const a = newMarker("spark-35");
    expect(a).to.match(/^itmark35[0-9a-f]{24}$/);
    expect(newMarker("spark-35")).to.not.equal(a);
  });

  it("sniff.py parses an IPv4/TCP frame into its flow and payload", () => {
    // A 20-byte IP header, a 20-byte TCP header and 5 payload bytes, from 10.0.0.1:1234 to 10.0.0.2:80.
    const program = [
      "import importlib.util, struct, sys",
      `spec = importlib.util.spec_from_file_location('sniff', ${JSON.stringify(join(__dirname, "capture", "sniff.py"))})`,
      "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)",
      "eth = b'\\x00' * 12 + b'\\x08\\x00'",
      "ip = bytes([0x45, 0]) + struct.pack('!H', 45) + b'\\x00' * 5 + bytes([6]) + b'\\x00\\x00' + bytes([10,0,0,1,10,0,0,2])",
      "tcp = struct.pack('!HH', 1234, 80) + b'\\x00' * 8 + bytes([0x50]) + b'\\x00' * 7",
      "print(m.flow_of(eth + ip + tcp + b'hello'))",
      "print(m.flow_of(b'\\x00' * 12 + b'\\x86\\xdd' + b'\\x00' * 60))",
    ].join("\n");
    const out = execFileSync("python3", ["-c", program], { encoding: "utf8" });
    expect(out.trim().split("\n")).to.deep.equal(["('10.0.0.1:1234>10.0.0.2:80', 5)", "None"]);
  });
});
