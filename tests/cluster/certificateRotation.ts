// Live replacement of spark-41's Connect certificates (platform/connectCertificates.ts):
// `pulumi up --replace <their URN>` makes a new CA and server certificate. The server's
// Secret and the client Secret's `ca.crt` are rewritten, exactly the pods reading the
// server's Secret roll, and a host client through a port-forward with the new CA and the
// token runs its query, while the same client still trusting the old CA is refused at
// the TLS handshake (the control: the terminator now serves a chain the old CA did not
// sign). By hand: CI leaves it out (SPARK_PLATFORM_LIVE_SKIP=certificates) for time.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { PreparedStack } from "../../tools/engine/workspace";
import { PORTS, releaseNames } from "../../lib/naming/names";
import { GRPC_ROOTS_ENV } from "../../lib/spark/connectAuthentication";
import { CONNECT_CERTIFICATES_TYPE } from "../../platform/connectCertificates";
import type { NamespaceOf } from "./clients";
import { holdersOf, releasePods, replaceAndRoll } from "./keyRotation";
import {
  attemptComplaints,
  clientSecretFiles,
  hostPysparkClient,
  hostSessionAttempt,
  type HostAttempt,
} from "./portForwardControl";
import { liveSkipped, note, portForward } from "./support";

const READY_MS = 12 * 60_000;

/** Why a session trusting the old CA was not refused at the handshake; empty when it was. */
export function oldCaComplaints(attempt: HostAttempt): string[] {
  const complaints: string[] = [];
  if (attempt.ran) complaints.push(`${attempt.name}: the session ran its query`);
  if (
    !/UNAVAILABLE|CERTIFICATE_VERIFY_FAILED|certificate verify failed/i.test(
      attempt.errorLine ?? "",
    )
  ) {
    complaints.push(
      `${attempt.name}: not refused at the TLS handshake: ${attempt.errorLine ?? ""}`,
    );
  }
  return complaints;
}

/** Registers the rotation `it` (inside a stack's describe; `current()` gives its stack). */
export function connectCertificateRotationCheck(
  current: () => PreparedStack,
  namespaceOf: NamespaceOf,
): void {
  it("replacing spark-41's certificates rewrites the CA its clients trust and rolls exactly the server; a client with the new CA runs, one with the old CA is refused", async function () {
    this.timeout(READY_MS + 10 * 60_000);
    if (liveSkipped("certificates")) this.skip();
    const prepared = current();
    const namespaces = [...new Set(Object.values(namespaceOf))];
    const names = releaseNames("spark-41");
    const site = await hostPysparkClient();
    const dir = mkdtempSync(join(tmpdir(), "it-certificates-"));
    try {
      const old = await clientSecretFiles(dir, "-old");
      const before = await releasePods(namespaces);
      const holders = holdersOf(before, [names.connectServerSecret]);
      const { rolled } = await replaceAndRoll(
        prepared,
        namespaces,
        "certificates' replacement",
        (r) => r.type === CONNECT_CERTIFICATES_TYPE && r.urn.includes("spark-41"),
        before,
        holders,
      );
      expect(holders.length, "a pod holds the server's Secret").to.be.greaterThan(0);
      expect(rolled.sort(), "exactly the holders rolled").to.deep.equal(holders);
      const fresh = await clientSecretFiles(dir, "-new");
      expect(fresh.ca, "the client Secret's ca.crt rewritten").to.not.equal(old.ca);
      const tls = await portForward(
        namespaceOf["spark-41"],
        `svc/${names.connect}`,
        PORTS.connectGrpc,
      );
      try {
        const url = `sc://localhost:${new URL(tls.url).port}/;use_ssl=true`;
        const withCa = (caFile: string) => ({
          IT_CONNECT_URL: url,
          [GRPC_ROOTS_ENV]: caFile,
          IT_CONNECT_TOKEN_FILE: fresh.tokenFile,
        });
        const newCa = await hostSessionAttempt("the new CA", site, withCa(fresh.caFile));
        const oldCa = await hostSessionAttempt("the old CA", site, {
          ...withCa(old.caFile),
          IT_CONNECT_RETRIES: "1",
        });
        for (const a of [newCa, oldCa]) {
          note(`certificates: ${a.name}: ${a.ran ? "ran" : "refused"} ${a.errorLine ?? ""}`);
        }
        expect([...attemptComplaints(newCa, "runs"), ...oldCaComplaints(oldCa)]).to.deep.equal([]);
      } finally {
        tls.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
