// Certificates of the local cluster: the plan (pure) and its issue with openssl.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLUSTER_NET } from "../addressPlan";
import { runOk } from "../support/runCommand";
import type { ClusterNode } from "./clusterNode";

export type Usage = "server" | "client" | "both";

export interface CertSpec {
  /** File stem: <pki>/<name>.crt and .key */
  name: string;
  cn: string;
  o?: string;
  dns: string[];
  ips: string[];
  usage: Usage;
}

/** File stems of a node's kubelet certificates: node 1 keeps `kubelet` and
 * `kubelet-serving`, a later node's carry its name. */
export function kubeletCertNames(node: ClusterNode): { client: string; serving: string } {
  return node.index === 1
    ? { client: "kubelet", serving: "kubelet-serving" }
    : { client: `kubelet-${node.name}`, serving: `kubelet-serving-${node.name}` };
}

/** A node's kubelet identities: its client (the Node authorizer's system:node:<name>) and
 * its serving certificate for the API server's logs/exec calls to the node's address. */
export function kubeletCerts(node: ClusterNode): CertSpec[] {
  const names = kubeletCertNames(node);
  return [
    {
      name: names.client,
      cn: `system:node:${node.name}`,
      o: "system:nodes",
      dns: [],
      ips: [],
      usage: "client",
    },
    {
      name: names.serving,
      cn: node.name,
      dns: [node.name, "localhost"],
      ips: [node.nodeIp, "127.0.0.1"],
      usage: "server",
    },
  ];
}

/** Every leaf certificate the cluster needs, signed by one CA: the API server's (serving
 * on the control-plane node's address) and each node's kubelet identities. */
export function certPlan(controlPlane: ClusterNode, nodes: readonly ClusterNode[]): CertSpec[] {
  const svcDomain = `svc.${CLUSTER_NET.clusterDomain}`;
  return [
    {
      name: "apiserver",
      cn: "kube-apiserver",
      dns: [
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        `kubernetes.default.${svcDomain}`,
        "localhost",
      ],
      ips: [controlPlane.nodeIp, CLUSTER_NET.kubernetesServiceIp, "127.0.0.1"],
      usage: "server",
    },
    {
      name: "apiserver-kubelet-client",
      cn: "kube-apiserver-kubelet-client",
      o: "system:masters",
      dns: [],
      ips: [],
      usage: "client",
    },
    {
      name: "admin",
      cn: "kubernetes-admin",
      o: "system:masters",
      dns: [],
      ips: [],
      usage: "client",
    },
    {
      name: "controller-manager",
      cn: "system:kube-controller-manager",
      dns: [],
      ips: [],
      usage: "client",
    },
    { name: "scheduler", cn: "system:kube-scheduler", dns: [], ips: [], usage: "client" },
    ...nodes.flatMap(kubeletCerts),
    { name: "kube-proxy", cn: "system:kube-proxy", dns: [], ips: [], usage: "client" },
    { name: "kube-router", cn: "spark-platform:kube-router", dns: [], ips: [], usage: "client" },
  ];
}

/** openssl `-subj` string. */
export function subject(c: Pick<CertSpec, "cn" | "o">): string {
  const esc = (s: string) => s.replace(/[/\\]/g, (m) => `\\${m}`);
  return `${c.o ? `/O=${esc(c.o)}` : ""}/CN=${esc(c.cn)}`;
}

/** x509v3 extension file for `openssl x509 -req -extfile`. */
export function extensions(c: CertSpec): string {
  const eku = { server: "serverAuth", client: "clientAuth", both: "serverAuth,clientAuth" }[
    c.usage
  ];
  const lines = [
    "basicConstraints = critical, CA:FALSE",
    "keyUsage = critical, digitalSignature, keyEncipherment",
    `extendedKeyUsage = ${eku}`,
  ];
  const san = [...c.dns.map((d) => `DNS:${d}`), ...c.ips.map((i) => `IP:${i}`)];
  if (san.length) lines.push(`subjectAltName = ${san.join(", ")}`);
  return lines.join("\n") + "\n";
}

/** Changes whenever a certificate's spec does, so that one certificate is re-issued. */
export function specDigest(spec: CertSpec): string {
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 16);
}

/** Leaves of the plan to issue: those whose recorded digest is missing or differs. */
export function leavesToIssue(
  plan: readonly CertSpec[],
  recorded: (name: string) => string | undefined,
): CertSpec[] {
  return plan.filter((c) => recorded(c.name) !== specDigest(c));
}

const DAYS = "3650";

async function newKey(file: string): Promise<void> {
  await runOk("openssl", [
    "genpkey",
    "-algorithm",
    "EC",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-out",
    file,
  ]);
  fs.chmodSync(file, 0o600);
}

async function newCa(f: (n: string) => string): Promise<void> {
  await newKey(f("ca.key"));
  await runOk("openssl", [
    "req",
    "-x509",
    "-new",
    "-key",
    f("ca.key"),
    "-subj",
    "/CN=spark-platform-local-ca",
    "-days",
    DAYS,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
    "-out",
    f("ca.crt"),
  ]);
}

async function issueLeaf(f: (n: string) => string, c: CertSpec): Promise<void> {
  await newKey(f(`${c.name}.key`));
  fs.writeFileSync(f(`${c.name}.ext`), extensions(c));
  await runOk("openssl", [
    "req",
    "-new",
    "-key",
    f(`${c.name}.key`),
    "-subj",
    subject(c),
    "-out",
    f(`${c.name}.csr`),
  ]);
  await runOk("openssl", [
    "x509",
    "-req",
    "-in",
    f(`${c.name}.csr`),
    "-CA",
    f("ca.crt"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    DAYS,
    "-sha256",
    "-extfile",
    f(`${c.name}.ext`),
    "-out",
    f(`${c.name}.crt`),
  ]);
  fs.rmSync(f(`${c.name}.csr`));
  fs.rmSync(f(`${c.name}.ext`));
  fs.writeFileSync(f(`${c.name}.spec`), specDigest(c) + "\n");
}

/** Issues what is missing or outdated: the CA and the service-account key pair once (a
 * running cluster's tokens and kubeconfigs stay valid), then each leaf whose spec changed
 * or that is new (a node joining gets its kubelet certificates, nothing else changes). A
 * new CA re-issues every leaf. Idempotent. */
export async function ensurePki(dir: string, plan: CertSpec[]): Promise<void> {
  const f = (n: string) => path.join(dir, n);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const freshCa = !fs.existsSync(f("ca.crt")) || !fs.existsSync(f("ca.key"));
  if (freshCa) await newCa(f);
  const recorded = (name: string) => {
    if (freshCa || !fs.existsSync(f(`${name}.crt`))) return undefined;
    try {
      return fs.readFileSync(f(`${name}.spec`), "utf8").trim();
    } catch {
      return undefined;
    }
  };
  for (const c of leavesToIssue(plan, recorded)) await issueLeaf(f, c);
  if (freshCa || !fs.existsSync(f("sa.key"))) {
    await newKey(f("sa.key"));
    await runOk("openssl", ["pkey", "-in", f("sa.key"), "-pubout", "-out", f("sa.pub")]);
  }
  // The whole-plan digest of earlier versions: per-leaf .spec files replace it.
  fs.rmSync(f("plan.digest"), { force: true });
}
