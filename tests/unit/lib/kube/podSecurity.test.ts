import { expect } from "chai";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import {
  hardeningViolations,
  isPodSecurityLevel,
  podSecurityViolations,
  restrictedViolations,
} from "../../../../lib/kube/podSecurity";

/** A pod that meets "restricted" and the platform's hardening. */
const restrictedPod = (): IPodSpec => ({
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 185,
    seccompProfile: { type: "RuntimeDefault" },
  },
  containers: [
    {
      name: "c",
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
      },
    },
  ],
  volumes: [{ name: "tmp", emptyDir: {} }],
});

/** A pod that meets "baseline" but none of what "restricted" adds. */
const baselinePod = (): IPodSpec => ({
  containers: [{ name: "c", securityContext: { capabilities: { add: ["CHOWN"] } } }],
  volumes: [{ name: "nfs", nfs: { server: "nfs.example", path: "/" } }],
});

/** A pod that breaks "baseline" in every way a manifest can. */
const privilegedPod = (): IPodSpec => ({
  hostNetwork: true,
  hostPID: true,
  securityContext: { runAsUser: 0 },
  containers: [
    {
      name: "c",
      ports: [{ containerPort: 80, hostPort: 80 }],
      securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] } },
    },
  ],
  volumes: [{ name: "host", hostPath: { path: "/" } }],
});

describe("lib/kube/podSecurity: Pod Security Standards", () => {
  it('accepts a restricted pod and names every "restricted" violation of a privileged one', () => {
    expect(restrictedViolations(restrictedPod())).to.deep.equal([]);
    const found = restrictedViolations(privilegedPod()).join("\n");
    for (const check of [
      "hostNetwork",
      "hostPID",
      "runAsUser",
      "privileged",
      "hostPort",
      "allowPrivilegeEscalation",
      "runAsNonRoot",
      "seccompProfile",
      "does not drop ALL",
      "adds SYS_ADMIN",
      "hostPath volumes",
      "restricted volume types",
    ]) {
      expect(found, check).to.include(check);
    }
  });

  it('"baseline" refuses host access and privilege, not what only "restricted" asks for', () => {
    expect(podSecurityViolations(baselinePod(), "baseline")).to.deep.equal([]);
    expect(podSecurityViolations(privilegedPod(), "baseline")).to.deep.equal([
      "host namespaces: hostNetwork=true",
      "host namespaces: hostPID=true",
      "hostPath volumes: host",
      "privileged: container c",
      "hostPorts: container c hostPort 80",
      "capabilities: container c adds SYS_ADMIN",
    ]);
    expect(podSecurityViolations(baselinePod(), "restricted")).to.deep.equal([
      "restricted volume types: nfs is nfs",
      "allowPrivilegeEscalation != false: container c",
      "runAsNonRoot != true: container c",
      "seccompProfile: container c unset",
      "capabilities: container c does not drop ALL",
      "capabilities: container c adds CHOWN",
    ]);
  });

  it('"baseline" refuses an Unconfined seccomp profile; "privileged" refuses nothing', () => {
    const unconfined: IPodSpec = {
      securityContext: { seccompProfile: { type: "Unconfined" } },
      containers: [{ name: "c", securityContext: { seccompProfile: { type: "Unconfined" } } }],
    };
    expect(podSecurityViolations(unconfined, "baseline")).to.deep.equal([
      "seccompProfile: pod type Unconfined",
      "seccompProfile: container c Unconfined",
    ]);
    expect(podSecurityViolations(privilegedPod(), "privileged")).to.deep.equal([]);
  });

  it("checks init and ephemeral containers too", () => {
    const spec = restrictedPod();
    spec.initContainers = [{ name: "init" }];
    spec.ephemeralContainers = [{ name: "debug", securityContext: { privileged: true } }];
    const found = restrictedViolations(spec);
    expect(found).to.include("allowPrivilegeEscalation != false: initContainer init");
    expect(found).to.include("privileged: ephemeralContainer debug");
  });

  it("hardening: a read-only root filesystem and seccomp RuntimeDefault, not Localhost", () => {
    expect(hardeningViolations(restrictedPod())).to.deep.equal([]);
    const spec = restrictedPod();
    spec.containers[0]!.securityContext!.readOnlyRootFilesystem = false;
    spec.securityContext!.seccompProfile = { type: "Localhost", localhostProfile: "p.json" };
    expect(restrictedViolations(spec)).to.deep.equal([]);
    expect(hardeningViolations(spec)).to.deep.equal([
      "readOnlyRootFilesystem != true: container c",
      "seccompProfile: container c Localhost, not RuntimeDefault",
    ]);
  });

  it("knows the three levels and nothing else", () => {
    expect(["privileged", "baseline", "restricted"].every(isPodSecurityLevel)).to.equal(true);
    expect(isPodSecurityLevel("Restricted")).to.equal(false);
    expect(isPodSecurityLevel(undefined)).to.equal(false);
  });
});
