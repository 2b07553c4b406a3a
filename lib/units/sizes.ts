/** JVM-style sizes ("512m", "4g") as Spark and Hive read them. */

export const SIZE_PATTERN = /^[1-9][0-9]*[mgt]$/i;

/** Size in MiB of a JVM size string; throws on anything SIZE_PATTERN rejects. */
export function sizeToMiB(size: string): number {
  if (!SIZE_PATTERN.test(size)) throw new Error(`not a JVM size: ${size}`);
  const amount = Number(size.slice(0, -1));
  const unit = size.slice(-1).toLowerCase();
  return unit === "m" ? amount : unit === "g" ? amount * 1024 : amount * 1024 * 1024;
}

/**
 * Spark's own rule for non-heap memory of a JVM in a pod: 10% of the heap, at least
 * 384 MiB (spark.{driver,executor}.memoryOverhead defaults). The platform applies the
 * same rule to the daemons it runs, so container limits match what the JVM will use.
 */
export function jvmOverheadMiB(heapMiB: number): number {
  return Math.max(384, Math.ceil(heapMiB * 0.1));
}

/** Container memory for a JVM with this heap: heap plus Spark's overhead rule. */
export function jvmContainerMiB(heapMiB: number): number {
  return heapMiB + jvmOverheadMiB(heapMiB);
}

/** Kubernetes quantity for a MiB amount. */
export function mebibytes(miB: number): string {
  return `${miB}Mi`;
}

/** Kubernetes quantity ("500m", "2") to millicores. */
export function cpuToMillicores(quantity: string | number): number {
  if (typeof quantity === "number") return Math.round(quantity * 1000);
  if (quantity.endsWith("m")) return Number(quantity.slice(0, -1));
  return Math.round(Number(quantity) * 1000);
}

/** Kubernetes memory quantity ("896Mi", "2Gi", "1G") to MiB. */
export function memoryToMiB(quantity: string | number): number {
  if (typeof quantity === "number") return quantity / (1024 * 1024);
  const match = /^([0-9.]+)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(quantity);
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  const amount = Number(match[1]);
  const factors: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 * 1024,
    K: 1000 / 1048576,
    M: 1e6 / 1048576,
    G: 1e9 / 1048576,
    T: 1e12 / 1048576,
  };
  return match[2] ? amount * (factors[match[2]] ?? NaN) : amount / 1048576;
}

/**
 * Container memory for a long-running daemon JVM (master, History Server, metastore):
 * heap plus a quarter for metaspace, threads and code cache, at least 256 MiB. Smaller
 * than Spark's executor rule because daemons allocate no off-heap shuffle buffers.
 */
export function daemonContainerMiB(heapMiB: number): number {
  return heapMiB + Math.max(256, Math.ceil(heapMiB * 0.25));
}
