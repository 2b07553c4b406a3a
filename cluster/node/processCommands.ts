// Command lines of the cluster's processes (pure), and where each one runs.
import * as path from "node:path";
import { NET } from "../addressPlan";
import { Layout } from "../clusterLayout";
import { Where } from "./procs";

export interface Component {
  name: string;
  where: Where;
  argv: string[];
}

export interface ComponentInput {
  l: Layout;
  bin: (name: string) => string;
  /** Files written by the harness before start. */
  files: {
    kubeletConfig: string;
    kubeProxyConfig: string;
    kubeconfig: (user: string) => string;
  };
}

/** In the order they start; each in the node netns. */
export function components(c: ComponentInput): Component[] {
  const pki = (f: string) => path.join(c.l.pkiDir, f);
  const kc = c.files.kubeconfig;
  const netns = (name: string, argv: string[]): Component => ({ name, where: "netns", argv });
  return [
    netns("etcd", [
      c.bin("etcd"),
      "--name=spark-node",
      `--data-dir=${c.l.etcdDataDir}`,
      // Plain HTTP on the node netns' loopback only: nothing outside the netns reaches it.
      "--listen-client-urls=http://127.0.0.1:2379",
      "--advertise-client-urls=http://127.0.0.1:2379",
      "--listen-peer-urls=http://127.0.0.1:2380",
      "--initial-advertise-peer-urls=http://127.0.0.1:2380",
      "--initial-cluster=spark-node=http://127.0.0.1:2380",
      "--listen-metrics-urls=http://127.0.0.1:2381",
      // A throw-away test cluster: no fsync (the disk is shared with long builds).
      "--unsafe-no-fsync=true",
      "--log-level=warn",
    ]),
    netns("kube-apiserver", [
      c.bin("kube-apiserver"),
      `--advertise-address=${NET.nodeIp}`,
      `--secure-port=${NET.apiPort}`,
      "--etcd-servers=http://127.0.0.1:2379",
      `--service-cluster-ip-range=${NET.serviceCidr}`,
      `--client-ca-file=${pki("ca.crt")}`,
      `--tls-cert-file=${pki("apiserver.crt")}`,
      `--tls-private-key-file=${pki("apiserver.key")}`,
      `--kubelet-client-certificate=${pki("apiserver-kubelet-client.crt")}`,
      `--kubelet-client-key=${pki("apiserver-kubelet-client.key")}`,
      `--kubelet-certificate-authority=${pki("ca.crt")}`,
      "--kubelet-preferred-address-types=InternalIP",
      `--service-account-issuer=https://kubernetes.default.svc.${NET.clusterDomain}`,
      `--service-account-key-file=${pki("sa.pub")}`,
      `--service-account-signing-key-file=${pki("sa.key")}`,
      "--authorization-mode=Node,RBAC",
      // Added to the defaults (which include PodSecurity; ValidatingAdmissionPolicy is GA).
      "--enable-admission-plugins=NodeRestriction",
      "--allow-privileged=true",
      "--profiling=false",
      "--event-ttl=1h",
    ]),
    netns("kube-controller-manager", [
      c.bin("kube-controller-manager"),
      `--kubeconfig=${kc("controller-manager")}`,
      `--authentication-kubeconfig=${kc("controller-manager")}`,
      `--authorization-kubeconfig=${kc("controller-manager")}`,
      "--bind-address=127.0.0.1",
      "--leader-elect=false",
      `--cluster-signing-cert-file=${pki("ca.crt")}`,
      `--cluster-signing-key-file=${pki("ca.key")}`,
      `--root-ca-file=${pki("ca.crt")}`,
      `--service-account-private-key-file=${pki("sa.key")}`,
      "--use-service-account-credentials=true",
      "--allocate-node-cidrs=true",
      `--cluster-cidr=${NET.podCidr}`,
      "--node-cidr-mask-size=24",
      `--service-cluster-ip-range=${NET.serviceCidr}`,
      // Its default is /usr/libexec/kubernetes/..., which it would create.
      `--flex-volume-plugin-dir=${path.join(c.l.stateDir, "flexvolume")}`,
      "--profiling=false",
    ]),
    netns("kube-scheduler", [
      c.bin("kube-scheduler"),
      `--kubeconfig=${kc("scheduler")}`,
      `--authentication-kubeconfig=${kc("scheduler")}`,
      `--authorization-kubeconfig=${kc("scheduler")}`,
      "--bind-address=127.0.0.1",
      "--leader-elect=false",
      "--profiling=false",
    ]),
    // containerd starts between the control plane and the kubelet (containerd.ts).
    {
      name: "kubelet",
      where: "netns-hostmounts",
      argv: [
        c.bin("kubelet"),
        `--config=${c.files.kubeletConfig}`,
        `--kubeconfig=${kc("kubelet")}`,
        `--root-dir=${c.l.kubeletRoot}`,
        `--cert-dir=${path.join(c.l.kubeletRoot, "pki")}`,
        `--node-ip=${NET.nodeIp}`,
        `--hostname-override=${NET.nodeName}`,
      ],
    },
    netns("kube-proxy", [c.bin("kube-proxy"), `--config=${c.files.kubeProxyConfig}`]),
    netns("kube-router", [
      c.bin("kube-router"),
      `--kubeconfig=${kc("kube-router")}`,
      `--hostname-override=${NET.nodeName}`,
      // NetworkPolicy only: routing is the bridge's, Services are kube-proxy's.
      "--run-firewall=true",
      "--run-router=false",
      "--run-service-proxy=false",
      "--enable-ipv6=false",
      "--health-port=20244",
      "--metrics-port=0",
    ]),
  ];
}

/** Names of every process the harness may have recorded, in stop order. */
export const STOP_ORDER = [
  "maven-mirror",
  "minio",
  "kube-router",
  "kube-proxy",
  "kubelet",
  "containerd",
  "kube-scheduler",
  "kube-controller-manager",
  "kube-apiserver",
  "etcd",
];
