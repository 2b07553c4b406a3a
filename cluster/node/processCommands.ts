// Command lines of the cluster's processes (pure), and where each one runs: the control
// plane in the control-plane node's netns, and per node its kubelet, kube-proxy and
// kube-router. containerd is started by node/containerd.ts between the two.
import * as path from "node:path";
import { CLUSTER_NET } from "../addressPlan";
import type { Layout } from "../clusterLayout";
import { ClusterNode, NODE_POOL_LABEL, nodeProcessName } from "./clusterNode";
import type { NodeLayout } from "./nodeLayout";
import { kubeletCertNames } from "./pki";
import { inNetns, inNetnsWithHostMounts, ProcessSpec } from "./procs";

export interface CommandInput {
  l: Layout;
  bin: (name: string) => string;
  /** Path of a user's kubeconfig (node/kubeconfigs.ts). */
  kubeconfig: (user: string) => string;
}

export interface ControlPlaneCommands {
  etcd: ProcessSpec;
  apiServer: ProcessSpec;
  controllerManager: ProcessSpec;
  scheduler: ProcessSpec;
}

/** etcd and the control plane, each in the control-plane node's netns. */
export function controlPlaneCommands(c: CommandInput, node: ClusterNode): ControlPlaneCommands {
  const pki = (f: string) => path.join(c.l.pkiDir, f);
  const kc = c.kubeconfig;
  const where = inNetns(node);
  return {
    etcd: {
      name: "etcd",
      where,
      argv: [
        c.bin("etcd"),
        `--name=${node.name}`,
        `--data-dir=${c.l.etcdDataDir}`,
        // Plain HTTP on the node netns' loopback only: nothing outside the netns reaches it.
        "--listen-client-urls=http://127.0.0.1:2379",
        "--advertise-client-urls=http://127.0.0.1:2379",
        "--listen-peer-urls=http://127.0.0.1:2380",
        "--initial-advertise-peer-urls=http://127.0.0.1:2380",
        `--initial-cluster=${node.name}=http://127.0.0.1:2380`,
        "--listen-metrics-urls=http://127.0.0.1:2381",
        // A throw-away test cluster: no fsync (the disk is shared with long builds).
        "--unsafe-no-fsync=true",
        "--log-level=warn",
      ],
    },
    apiServer: {
      name: "kube-apiserver",
      where,
      argv: [
        c.bin("kube-apiserver"),
        `--advertise-address=${node.nodeIp}`,
        `--secure-port=${CLUSTER_NET.apiPort}`,
        "--etcd-servers=http://127.0.0.1:2379",
        `--service-cluster-ip-range=${CLUSTER_NET.serviceCidr}`,
        `--client-ca-file=${pki("ca.crt")}`,
        `--tls-cert-file=${pki("apiserver.crt")}`,
        `--tls-private-key-file=${pki("apiserver.key")}`,
        `--kubelet-client-certificate=${pki("apiserver-kubelet-client.crt")}`,
        `--kubelet-client-key=${pki("apiserver-kubelet-client.key")}`,
        `--kubelet-certificate-authority=${pki("ca.crt")}`,
        "--kubelet-preferred-address-types=InternalIP",
        `--service-account-issuer=https://kubernetes.default.svc.${CLUSTER_NET.clusterDomain}`,
        `--service-account-key-file=${pki("sa.pub")}`,
        `--service-account-signing-key-file=${pki("sa.key")}`,
        "--authorization-mode=Node,RBAC",
        // Added to the defaults (which include PodSecurity; ValidatingAdmissionPolicy is GA).
        "--enable-admission-plugins=NodeRestriction",
        "--allow-privileged=true",
        "--profiling=false",
        "--event-ttl=1h",
      ],
    },
    controllerManager: {
      name: "kube-controller-manager",
      where,
      argv: [
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
        `--cluster-cidr=${CLUSTER_NET.podRange}`,
        "--node-cidr-mask-size=24",
        `--service-cluster-ip-range=${CLUSTER_NET.serviceCidr}`,
        // Its default is /usr/libexec/kubernetes/..., which it would create.
        `--flex-volume-plugin-dir=${path.join(c.l.stateDir, "flexvolume")}`,
        "--profiling=false",
      ],
    },
    scheduler: {
      name: "kube-scheduler",
      where,
      argv: [
        c.bin("kube-scheduler"),
        `--kubeconfig=${kc("scheduler")}`,
        `--authentication-kubeconfig=${kc("scheduler")}`,
        `--authorization-kubeconfig=${kc("scheduler")}`,
        "--bind-address=127.0.0.1",
        "--leader-elect=false",
        "--profiling=false",
      ],
    },
  };
}

export interface NodeCommands {
  kubelet: ProcessSpec;
  kubeProxy: ProcessSpec;
  kubeRouter: ProcessSpec;
}

/** A node's kubelet (network namespace only, the host's mounts), kube-proxy and kube-router;
 * record names per node (node/clusterNode.ts's nodeProcessName). */
export function nodeCommands(c: CommandInput, node: ClusterNode, nl: NodeLayout): NodeCommands {
  const kc = c.kubeconfig;
  return {
    kubelet: {
      name: nodeProcessName(node, "kubelet"),
      where: inNetnsWithHostMounts(node),
      argv: [
        c.bin("kubelet"),
        `--config=${nl.kubeletConfig}`,
        `--kubeconfig=${kc(kubeletCertNames(node).client)}`,
        `--root-dir=${nl.kubeletRoot}`,
        `--cert-dir=${path.join(nl.kubeletRoot, "pki")}`,
        `--node-ip=${node.nodeIp}`,
        `--hostname-override=${node.name}`,
        // At registration; `up` also labels an existing Node (actions/startKubelet.ts).
        `--node-labels=${NODE_POOL_LABEL}=${node.pool}`,
      ],
    },
    kubeProxy: {
      name: nodeProcessName(node, "kube-proxy"),
      where: inNetns(node),
      argv: [c.bin("kube-proxy"), `--config=${nl.kubeProxyConfig}`],
    },
    kubeRouter: {
      name: nodeProcessName(node, "kube-router"),
      where: inNetns(node),
      argv: [
        c.bin("kube-router"),
        `--kubeconfig=${kc("kube-router")}`,
        `--hostname-override=${node.name}`,
        // NetworkPolicy only: routing is the bridge's, Services are kube-proxy's.
        "--run-firewall=true",
        "--run-router=false",
        "--run-service-proxy=false",
        "--enable-ipv6=false",
        "--health-port=20244",
        "--metrics-port=0",
      ],
    },
  };
}
