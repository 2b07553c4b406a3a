// spark-platform: Spark 3.5 and 4.1 side by side on Kubernetes, strictly isolated.
// The program is platform/program.ts; components live in components/. See README.md.
import { runtimeProgram } from "./platform/program";

const stack = runtimeProgram();

/** Per release: namespace, ServiceAccount, version, image, URLs, metastore, event-log dir. */
export const releases = stack.releases;
/** Per job: the release it runs on and how to reach it. */
export const jobRouting = stack.jobRouting;
/** Namespaces the platform manages. */
export const namespaces = stack.namespaces;
/** The shared object store (endpoint and bucket; no keys). */
export const objectStore = stack.objectStore;
/** Per release: metastore role, password and JDBC URL. A secret output. */
export const metastoreCredentials = stack.metastoreCredentials;
/**
 * Per notebook (`<namespace>/<name>`): its release, account, token Secret and the
 * port-forward that opens it; no credential. Absent when no notebook is configured.
 */
export const notebooks = stack.notebooks;
