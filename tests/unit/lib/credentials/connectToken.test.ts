// A Connect release's token (lib/credentials/derivation.ts deriveConnectToken).
import { expect } from "chai";
import { deriveConnectToken, deriveSparkAuthSecret } from "../../../../lib/credentials/derivation";
import { connectUrlWithToken } from "../../../../lib/spark/connectAuthentication";

const KEY = "ab".repeat(32);

describe("lib/credentials/derivation: deriveConnectToken", () => {
  it("is stable per key and release, differs between releases and keys", () => {
    const token = deriveConnectToken(KEY, "spark-41");
    expect(deriveConnectToken(KEY, "spark-41")).to.equal(token);
    expect(deriveConnectToken(KEY, "spark-42")).not.to.equal(token);
    expect(deriveConnectToken("cd".repeat(32), "spark-41")).not.to.equal(token);
  });

  it("never equals a standalone release's secret from the same key, even for the same name", () => {
    expect(deriveConnectToken(KEY, "spark-41")).not.to.equal(
      deriveSparkAuthSecret(KEY, "spark-41"),
    );
  });

  it("is base64url (43 characters), so it goes into a properties file and a URL as it is", () => {
    const token = deriveConnectToken(KEY, "spark-41");
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(connectUrlWithToken("sc://h:15002/;use_ssl=true", token)).to.equal(
      `sc://h:15002/;use_ssl=true;token=${token}`,
    );
  });

  it("refuses an empty key, and a URL builder refuses a token that would break the URL", () => {
    expect(() => deriveConnectToken("", "spark-41")).to.throw(/key is empty/);
    expect(() => connectUrlWithToken("sc://h:15002/;use_ssl=true", "a;b=c")).to.throw(/base64url/);
  });
});
