/**
 * What a notebook's kernels run at start (IPython's `exec_files`, configured in the
 * system-wide /etc/ipython): `spark`, a Spark Connect session of the notebook's release,
 * over TLS with the release's token. The URL and the files come from the pod's env; the
 * token is read from its mounted file at each kernel start (so a rotated token reaches the
 * next kernel without a pod restart) and never printed.
 */

/** Where the kernel config and the session script are mounted (IPython reads it on every start). */
export const IPYTHON_SYSTEM_DIR = "/etc/ipython";
export const KERNEL_CONFIG_FILE = "ipython_kernel_config.py";
export const SESSION_SCRIPT_FILE = "spark_session.py";

/** Env the session script reads. */
export const SESSION_ENV = {
  /** The release's Connect URL as its outputs give it (TLS on, no token). */
  url: "SPARK_PLATFORM_CONNECT_URL",
  /** The mounted `token` of the release's client Secret. */
  tokenFile: "SPARK_PLATFORM_CONNECT_TOKEN_FILE",
  /** The release the notebook is a client of, for the greeting. */
  release: "SPARK_PLATFORM_RELEASE",
} as const;

export const KERNEL_CONFIG = `# spark-platform (components/notebook): every kernel starts with \`spark\` ready.
c.InteractiveShellApp.exec_files = ["${IPYTHON_SYSTEM_DIR}/${SESSION_SCRIPT_FILE}"]
`;

export const SESSION_SCRIPT = `# spark-platform (components/notebook): \`spark\` is a Spark Connect session of this
# notebook's release, over TLS (the CA in GRPC_DEFAULT_SSL_ROOTS_FILE_PATH) with the
# release's token, read from its mounted file now: a new kernel picks up a rotated token.
import os as _os


def _spark_platform_session():
    from pyspark.sql import SparkSession

    url = _os.environ["${SESSION_ENV.url}"]
    with open(_os.environ["${SESSION_ENV.tokenFile}"]) as token_file:
        token = token_file.read().strip()
    # sc://host:port/;use_ssl=true, then the token parameter; a bare URL gets its '/' first.
    separator = "" if "/;" in url else "/"
    return SparkSession.builder.remote(url + separator + ";token=" + token).getOrCreate()


try:
    spark = _spark_platform_session()
except Exception as _error:  # the kernel still starts; the reason is shown, never the token
    print(
        "spark-platform: no Spark session for release "
        + _os.environ.get("${SESSION_ENV.release}", "?")
        + ": "
        + type(_error).__name__
    )
`;
