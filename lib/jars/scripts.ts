import { artifactPath, jarFileName, type JarArtifact } from "./catalog";

/**
 * The programs the jar init containers run, as text: pure functions of the catalog, so the
 * pod specs are reproducible and the programs are tested as they are rendered.
 */

/** Prefix of every line the platform's own start-up programs print. */
export const LOG_PREFIX = "spark-platform:";

/**
 * Downloader run by `python3 -c` in the release's Spark image (it has python3 and runs as
 * any uid). argv: repository, target directory, the fix to name on failure, then one
 * `path|sha256|bytes` per artifact. Streams each file, verifies its SHA-256 before it
 * takes the jar's name (a half-written or wrong file never looks like a jar), keeps files
 * that already verify (an init container restarted on the same emptyDir downloads nothing
 * twice), retries network errors 3 times, never a 4xx or a checksum mismatch. Fetches up to
 * 8 jars at once (34 small SDK modules one after the other took 15 s from Maven Central,
 * one TLS handshake each). One line per failed jar on stderr (jar, URL, reason, fix); one
 * summary line on success.
 */
export const DOWNLOADER_PY = `import concurrent.futures, hashlib, os, sys, time, urllib.error, urllib.request
repo, dest, fix = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
P = "${LOG_PREFIX}"
def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()
def fetch(url, part):
    h, n = hashlib.sha256(), 0
    with urllib.request.urlopen(url, timeout=60) as r, open(part, "wb") as f:
        for b in iter(lambda: r.read(1 << 20), b""):
            h.update(b); f.write(b); n += len(b)
    return h.hexdigest(), n
def get(item):
    path, want, size = item.split("|")
    name = path.rsplit("/", 1)[1]
    url, target = repo + "/" + path, os.path.join(dest, name)
    if os.path.exists(target) and sha256(target) == want:
        return None, 0
    error, part = None, target + ".part"
    for attempt in range(3):
        try:
            digest, n = fetch(url, part)
            if digest != want:
                os.remove(part)
                error = "SHA-256 %s (%d bytes) does not match the pinned %s (%s bytes)" % (digest, n, want, size)
                break
            os.replace(part, target)
            return None, n
        except urllib.error.HTTPError as e:
            error = "HTTP %d %s" % (e.code, e.reason)
            if 400 <= e.code < 500:
                break
        except Exception as e:
            error = "%s: %s" % (type(e).__name__, e)
        time.sleep(2 * attempt + 1)
    return "%s cannot fetch %s from %s: %s; fix: %s" % (P, name, url, error, fix), 0
start, items = time.time(), sys.argv[4:]
# Several at once: one connection per jar, so many small jars are bound by round trips.
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
    results = list(pool.map(get, items))
failures = [e for e, _ in results if e]
for line in failures:
    print(line, file=sys.stderr, flush=True)
if failures:
    sys.exit(1)
got = [n for e, n in results if n]
print("%s %d jar(s) verified in %s (%d fetched, %.1f MB) from %s in %.1f s" % (P, len(items), dest, len(got), sum(got) / 1e6, repo, time.time() - start), flush=True)
`;

/** `path|sha256|bytes` arguments of the downloader, one per artifact. */
export function downloaderItems(artifacts: readonly JarArtifact[]): string[] {
  return artifacts.map((a) => `${artifactPath(a)}|${a.sha256}|${a.bytes}`);
}

/**
 * Container command of the download init container: checks that python3 exists (one
 * clear line otherwise) and runs DOWNLOADER_PY with the artifacts as arguments.
 */
export function downloaderCommand(
  repository: string,
  dir: string,
  artifacts: readonly JarArtifact[],
  fix: string,
): string[] {
  const guard =
    `command -v python3 >/dev/null 2>&1 || { echo "${LOG_PREFIX} the jar download needs python3, which this image lacks; ` +
    `fix: use a python3 variant of the Spark image (apache/spark:*-python3-*) or jars.source: image (docs/jars.md)" >&2; exit 1; }; ` +
    'exec python3 -c "$0" "$@"';
  return [
    "/bin/sh",
    "-c",
    guard,
    DOWNLOADER_PY,
    repository,
    dir,
    fix,
    ...downloaderItems(artifacts),
  ];
}

/** What a check requires: a jar file at a path, and (optionally) no rival of it beside it. */
export interface JarRequirement {
  /** Absolute path the jar must exist at (a `*` matches any version). */
  readonly path: string;
  /** Name shown in the message (the catalog file name). */
  readonly jar: string;
  /**
   * Glob of files that must not exist beside it except `path` itself (another PostgreSQL
   * driver in the same lib directory would be on the same classpath).
   */
  readonly rivals?: string;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * A bash check of an image (run in an init container of the pod's own image, with the
 * pod's own jar mounts): exits 0 when every requirement holds, else prints ONE line
 * naming every missing jar, every rival, and the fix, and exits 1.
 */
export function checkScript(
  image: string,
  requirements: readonly JarRequirement[],
  fix: string,
): string {
  const lines = ["missing=''", "rivals=''"];
  for (const r of requirements) {
    // A path with `*` (a version the image decides) needs one match, any version.
    const exists = r.path.includes("*")
      ? `compgen -G ${shellQuote(r.path)} >/dev/null`
      : `[ -f ${shellQuote(r.path)} ]`;
    lines.push(`${exists} || missing="$missing ${r.jar}"`);
    if (r.rivals) {
      lines.push(
        `for f in ${r.rivals}; do [ -e "$f" ] && [ "$f" != ${shellQuote(r.path)} ] && rivals="$rivals $f"; done`,
      );
    }
  }
  const where = [...new Set(requirements.map((r) => r.path.replace(/\/[^/]+$/, "")))].join(", ");
  lines.push(
    '[ -z "$missing$rivals" ] && exit 0',
    `msg="${LOG_PREFIX} image ${image.replace(/["$`\\]/g, "")}"`,
    `[ -n "$missing" ] && msg="$msg lacks$missing (looked in ${where})"`,
    '[ -n "$missing" ] && [ -n "$rivals" ] && msg="$msg and"',
    '[ -n "$rivals" ] && msg="$msg holds a second PostgreSQL driver$rivals that would be on the same classpath"',
    `echo "$msg; fix: ${fix.replace(/["$`\\]/g, "")}" >&2`,
    "exit 1",
  );
  return lines.join("\n");
}

/** Requirements for jars expected in one directory of an image. */
export function requirementsIn(dir: string, artifacts: readonly JarArtifact[]): JarRequirement[] {
  return artifacts.map((a) => ({ path: `${dir}/${jarFileName(a)}`, jar: jarFileName(a) }));
}
