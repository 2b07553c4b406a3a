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

/** Every leaf certificate the cluster needs, signed by one CA: the API server's (serving
 * on the control-plane node's address) and the node's kubelet identities. */
export function certPlan(controlPlane: ClusterNode, node: ClusterNode): CertSpec[] {
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
    {
      name: "kubelet",
      cn: `system:node:${node.name}`,
      o: "system:nodes",
      dns: [],
      ips: [],
      usage: "client",
    },
    {
      name: "kubelet-serving",
      cn: node.name,
      dns: [node.name, "localhost"],
      ips: [node.nodeIp, "127.0.0.1"],
      usage: "server",
    },
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

/** Changes whenever the plan does, so an outdated PKI is re-issued. */
export function planDigest(plan: CertSpec[]): string {
  return createHash("sha256").update(JSON.stringify(plan)).digest("hex").slice(0, 16);
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

/** Issues the CA, every leaf of the plan and the service-account key pair (idempotent). */
export async function ensurePki(dir: string, plan: CertSpec[]): Promise<void> {
  const digestFile = path.join(dir, "plan.digest");
  const digest = planDigest(plan);
  const current = fs.existsSync(digestFile) ? fs.readFileSync(digestFile, "utf8").trim() : "";
  if (current === digest && fs.existsSync(path.join(dir, "ca.crt"))) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (n: string) => path.join(dir, n);
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
  for (const c of plan) {
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
  }
  await newKey(f("sa.key"));
  await runOk("openssl", ["pkey", "-in", f("sa.key"), "-pubout", "-out", f("sa.pub")]);
  fs.writeFileSync(digestFile, digest + "\n");
}
