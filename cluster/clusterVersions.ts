// Pinned versions of everything the local cluster builds or installs. The Go module
// proxy reachable here serves only some versions; docs/local-cluster.md says which.
export const KUBERNETES_VERSION = "v1.34.4";
/** Published version of the k8s.io/<staging> modules that belong to KUBERNETES_VERSION. */
export const KUBERNETES_STAGING_VERSION = "v0.34.4";
export const ETCD_VERSION = "v3.6.16";
export const COREDNS_VERSION = "v1.12.4";
/** kube-router is the only served version; see docs/local-cluster.md for why it is used. */
export const KUBE_ROUTER_VERSION = "v2.1.0";
/** Prefix of the versions of our own programs (cluster/pause, cluster/probe); the cache
 * key also holds a hash of their source. */
export const OWN_PROGRAMS_VERSION = "v1";

/** Debian packages the node needs (installed when missing). */
export const NODE_PACKAGES = [
  "containerd",
  "runc",
  "containernetworking-plugins",
  "iptables",
  "conntrack",
  "ipset",
  "openssl",
  "postgresql",
] as const;

/** Kubernetes binaries built from k8s.io/kubernetes/cmd/<name>. */
export const KUBERNETES_COMMANDS = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubelet",
  "kube-proxy",
  "kubectl",
] as const;
export type KubernetesCommand = (typeof KUBERNETES_COMMANDS)[number];
