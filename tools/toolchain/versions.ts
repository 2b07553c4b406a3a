// The engine toolchain's pins, and why they are what they are: the Go module proxy
// reachable here serves only some versions.
// - pulumi CLI: github.com/pulumi/pulumi/pkg/v3 is served at v3.259.0 only (v3.260.0+ zips
//   are refused), so the CLI and @pulumi/pulumi are 3.259.0.
// - Node.js language host: the module
//   github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 is refused at every
//   pseudo-version tried (including the sdk/v3.259.0 commit). The newest host that is
//   served is the package that lived inside sdk/v3 up to v3.68.0; it speaks the same
//   LanguageRuntime protocol and the 3.259 engine falls back for the RPCs it lacks
//   (Handshake, GetRequiredPackages, ...).
// - kubernetes provider: provider/v4 has no module tags; the only pseudo-version the proxy
//   serves is the v4.25.0 release commit, so @pulumi/kubernetes must be 4.25.0. The sum
//   database here does not know it: GONOSUMDB is set for that module.
// - postgresql and minio providers: neither the pulumi provider modules nor their upstream
//   Terraform providers are served; those parts report that and skip.
// Provider versions follow package.json (@pulumi/kubernetes, @pulumi/postgresql,
// @pulumi/minio); SPARK_PLATFORM_{K8S,POSTGRESQL,MINIO_PROVIDER}_VERSION override them.

export const PULUMI_VERSION = "3.259.0";
export const LANGHOST_SDK_VERSION = "3.68.0";
/**
 * Suffix of the language host's cache directory: the host is built with RunPlugin added
 * (parts/nodejsHost.ts). Bump it when that code changes so caches rebuild.
 */
export const LANGHOST_PATCH = "runplugin1";
export const K8S_DEFAULT_VERSION = "4.25.0";
export const POSTGRESQL_DEFAULT_VERSION = "3.18.1";
export const MINIO_PROVIDER_DEFAULT_VERSION = "0.17.1";
/**
 * MinIO server: the last release (v0.0.0-20251015172955-9e49d5e7a648) is refused (.info
 * 403); the newest pseudo-version found served is from 2021-05-16.
 */
export const MINIO_SERVER_VERSION = "v0.0.0-20210516060309-ce3d9dc9faa5";
/**
 * That MinIO pins github.com/modern-go/reflect2 v1.0.1, whose map iterator reads Go runtime
 * internals that changed in Go 1.18: built with today's Go the server dies with SIGSEGV in
 * json-iterator's map encoder now and then. v1.0.2 is the upstream fix.
 */
export const MINIO_REFLECT2_VERSION = "v1.0.2";

/** npm version of @pulumi/kubernetes -> pseudo-version of provider/v4 at its release commit. */
export function k8sPseudoVersion(npmVersion: string): string | undefined {
  return npmVersion === "4.25.0" ? "v4.0.0-20260115033456-f47bc2d6f199" : undefined;
}

/**
 * Candidate pseudo-versions of pulumi-postgresql provider/v3 (release commits); none is
 * served at present, the part probes them so a change on the proxy side is noticed.
 */
export function postgresqlPseudoVersion(npmVersion: string): string | undefined {
  return npmVersion === "3.18.0" || npmVersion === "3.18.1"
    ? "v3.0.0-20260716141723-b57d264d8aee"
    : undefined;
}
