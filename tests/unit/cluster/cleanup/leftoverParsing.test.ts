import { expect } from "chai";
import {
  cgroupRemovalOrder,
  cniResultAddresses,
  cniResultsIn,
  describe as describeReport,
  inCidr,
  ipv4Addresses,
  isClean,
  linkNames,
  mountsUnder,
  ourChains,
  unixSocketsInUse,
} from "../../../../cluster/cleanup/leftoverParsing";

describe("cluster/cleanup: leftover detection", () => {
  it("finds pod netns by address: IPv4 addresses of ip -o addr, tested against a range", () => {
    const out =
      "1: lo    inet 127.0.0.1/8 scope host lo\n3: eth0    inet 10.244.0.17/24 brd 10.244.0.255 scope global eth0\n";
    expect(ipv4Addresses(out)).to.deep.equal(["127.0.0.1", "10.244.0.17"]);
    expect(inCidr("10.244.0.17", "10.244.0.0/24")).to.equal(true);
    expect(inCidr("10.244.1.17", "10.244.0.0/24")).to.equal(false);
    expect(inCidr("10.244.1.17", "10.244.0.0/16")).to.equal(true);
    expect(inCidr("10.201.0.3", "10.201.0.0/30")).to.equal(true);
    expect(inCidr("10.201.0.4", "10.201.0.0/30")).to.equal(false);
  });

  it("lists our mounts deepest first, decoding escaped spaces, ignoring other paths", () => {
    const mounts = [
      "tmpfs /c/kubelet/pods/a/volumes/kubernetes.io~projected/kube-api-access-x tmpfs rw 0 0",
      "overlay /c/state/io.containerd.runtime.v2.task/k8s.io/abc/rootfs overlay rw 0 0",
      "tmpfs /c/kubelet/pods/b/my\\040dir tmpfs rw 0 0",
      "nsfs /run/netns/cni-1 nsfs rw 0 0",
      "tmpfs /c/kubeletx/other tmpfs rw 0 0",
      "/dev/vda / ext4 rw 0 0",
    ].join("\n");
    expect(mountsUnder(mounts, ["/c/kubelet/", "/c/state", "/run/netns/cni-1"])).to.deep.equal([
      "/c/kubelet/pods/a/volumes/kubernetes.io~projected/kube-api-access-x",
      "/c/state/io.containerd.runtime.v2.task/k8s.io/abc/rootfs",
      "/c/kubelet/pods/b/my dir",
      "/run/netns/cni-1",
    ]);
  });

  it("finds KUBE-, CNI- and KUBE-ROUTER- chains in iptables-save output", () => {
    const save =
      "*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n:CNI-abc - [0:0]\nCOMMIT\n*filter\n:KUBE-ROUTER-INPUT - [0:0]\n:DOCKER - [0:0]\nCOMMIT\n";
    expect(ourChains(save)).to.deep.equal([
      { table: "nat", chain: "KUBE-SERVICES" },
      { table: "nat", chain: "CNI-abc" },
      { table: "filter", chain: "KUBE-ROUTER-INPUT" },
    ]);
  });

  it("reads link names, sockets in use and cgroup removal order", () => {
    const links = "1: lo: <LOOPBACK,UP> mtu 65536\n7: spk-host@if6: <BROADCAST> mtu 1500\n";
    expect(linkNames(links)).to.deep.equal(["lo", "spk-host"]);
    const unix =
      "Num RefCount Protocol Flags Type St Inode Path\n0000: 00000002 00000000 00010000 0001 01 123 /run/containerd/s/abc\n0000: 00000002 00000000 00010000 0001 01 124\n";
    expect([...unixSocketsInUse(unix)]).to.deep.equal(["/run/containerd/s/abc"]);
    expect(
      cgroupRemovalOrder([
        "/cg/kubepods",
        "/cg/kubepods/besteffort/pod1",
        "/cg/kubepods/besteffort",
      ]),
    ).to.deep.equal(["/cg/kubepods/besteffort/pod1", "/cg/kubepods/besteffort", "/cg/kubepods"]);
  });

  it("a report is clean only when every list is empty, and says what is left", () => {
    const empty = {
      processes: [],
      mounts: [],
      netns: [],
      links: [],
      hostChains: [],
      cgroups: [],
      files: [],
    };
    expect(isClean(empty)).to.equal(true);
    const dirty = { ...empty, netns: ["/run/netns/spark-node"] };
    expect(isClean(dirty)).to.equal(false);
    expect(describeReport(dirty)).to.deep.equal(["netns: 1 (/run/netns/spark-node)"]);
  });

  it("finds the CNI cache files of one node's pods by address, with their loopback files", () => {
    const result = (ip: string) =>
      JSON.stringify({ kind: "cniCacheV1", result: { ips: [{ address: `${ip}/24` }] } });
    const files = [
      { name: "spark-pods-aaa-eth0", text: result("10.244.1.7") },
      {
        name: "cni-loopback-aaa-lo",
        text: JSON.stringify({ result: { ips: [{ address: "127.0.0.1/8" }] } }),
      },
      { name: "spark-pods-bbb-eth0", text: result("10.244.0.9") },
      { name: "cni-loopback-bbb-lo", text: "{}" },
      { name: "other-net-ccc-eth0", text: result("10.244.1.8") },
      { name: "spark-pods-ddd-eth0", text: "not json" },
    ];
    expect(cniResultAddresses(files[0]!.text)).to.deep.equal(["10.244.1.7"]);
    expect(cniResultAddresses("not json")).to.deep.equal([]);
    expect(cniResultsIn(files, "spark-pods", ["10.244.1.0/24"])).to.deep.equal([
      "spark-pods-aaa-eth0",
      "cni-loopback-aaa-lo",
    ]);
    expect(cniResultsIn(files, "spark-pods", ["10.244.0.0/24", "10.244.1.0/24"])).to.have.members([
      "spark-pods-aaa-eth0",
      "cni-loopback-aaa-lo",
      "spark-pods-bbb-eth0",
      "cni-loopback-bbb-lo",
    ]);
  });
});
