import { expect } from "chai";
import { coreSiteXml, fsShellScript, fsShellVerdict } from "../../../../tools/jars/s3aProbe";

describe("derived images: the s3a probe", () => {
  it("writes core-site.xml with every property, escaped", () => {
    const xml = coreSiteXml({ "fs.s3a.endpoint": "http://127.0.0.1:9000", odd: `a<b&"c"` });
    expect(xml).to.include(
      "<property><name>fs.s3a.endpoint</name><value>http://127.0.0.1:9000</value></property>",
    );
    expect(xml).to.include("<value>a&lt;b&amp;&quot;c&quot;</value>");
    expect(xml.startsWith('<?xml version="1.0"?>\n<configuration>')).to.equal(true);
  });

  it("puts, lists and reads back through spark-class, stopping at the first failure", () => {
    const url = "s3a://spark-logs/3.5/events/derived-image-check/probe.txt";
    const script = fsShellScript(url, "marker text");
    const lines = script.split("\n");
    expect(lines[0]).to.equal("set -e");
    expect(lines[1]).to.match(
      /^printf '%s\\n' 'marker text' \| \/opt\/spark\/bin\/spark-class org\.apache\.hadoop\.fs\.FsShell -put -f - /,
    );
    expect(lines[2]).to.include("FsShell -ls 's3a://spark-logs/3.5/events/derived-image-check'");
    expect(lines[3]).to.include(`FsShell -cat '${url}'`);
  });

  it("passes only when the object is listed and its text read back", () => {
    const url = "s3a://b/p/probe.txt";
    const listed = `-rw-rw-rw-   1 spark spark   12 2026-12-07 04:18 ${url}`;
    expect(fsShellVerdict(`${listed}\nmarker\n`, url, "marker")).to.equal(undefined);
    expect(fsShellVerdict("marker\n", url, "marker")).to.match(/listing/);
    expect(fsShellVerdict(`${listed}\nmarker text\n`, url, "marker")).to.match(/cat did not print/);
  });
});
