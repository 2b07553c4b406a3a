import { expect } from "chai";
import fc from "fast-check";
import { awsCredentialsFile } from "../../../../lib/spark/s3a";

/** The `default` profile as both SDK lines read it: `key = value`, split at the first `=`, trimmed. */
function readDefaultProfile(text: string): Record<string, string> {
  const lines = text.split("\n");
  expect(lines[0]).to.equal("[default]");
  return Object.fromEntries(
    lines
      .slice(1)
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const eq = line.indexOf("=");
        return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()];
      }),
  );
}

describe("lib/spark/s3a: the shared-credentials file", () => {
  it("holds the keys as the default profile, read back unchanged (property)", () => {
    const key = fc.string({ minLength: 1, maxLength: 64 }).filter((k) => !/\s/.test(k));
    fc.assert(
      fc.property(key, key, (accessKey, secretKey) => {
        expect(readDefaultProfile(awsCredentialsFile(accessKey, secretKey))).to.deep.equal({
          aws_access_key_id: accessKey,
          aws_secret_access_key: secretKey,
        });
      }),
    );
  });

  it("refuses a key a profile file cannot carry, naming which", () => {
    expect(() => awsCredentialsFile("AK\nx = y", "s")).to.throw(/^objectStoreAccessKey: /);
    expect(() => awsCredentialsFile("AK", " padded")).to.throw(/^objectStoreSecretKey: /);
    expect(() => awsCredentialsFile("AK", "cut #short")).to.throw(/^objectStoreSecretKey: .*blank/);
    expect(() => awsCredentialsFile("", "s")).to.throw(/^objectStoreAccessKey: .*empty/);
  });
});
