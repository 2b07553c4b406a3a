/**
 * Kubernetes' syntax rules for label keys, label values and object names, as the API
 * server applies them (k8s.io/apimachinery/pkg/util/validation): each returns what is
 * wrong with a value, or undefined when Kubernetes would accept it. Config validation
 * uses them so that a value Kubernetes would reject is refused before anything is created.
 */

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 subdomain (PriorityClass, StorageClass and label-key prefixes). */
export function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return "must be at most 253 characters";
  if (!DNS_SUBDOMAIN.test(value)) {
    return "must be a DNS subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** A DNS-1123 label (namespace names). */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > 63) return "must be at most 63 characters";
  if (!DNS_LABEL.test(value)) {
    return "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * A label key (also a topology key, a toleration key): `[prefix/]name`, the prefix a DNS
 * subdomain, the name at most 63 characters of letters, digits, '-', '_' and '.' that
 * starts and ends with a letter or digit.
 */
export function labelKeyProblem(value: string): string | undefined {
  const parts = value.split("/");
  if (parts.length > 2) return `is not a label key: at most one '/' (prefix/name)`;
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === "") return "is not a label key: the prefix before '/' must not be empty";
    const problem = dnsSubdomainProblem(prefix);
    if (problem) return `is not a label key: its prefix ${problem}`;
  }
  if (name === "") return "is not a label key: the name must not be empty";
  if (name.length > 63) return "is not a label key: the name must be at most 63 characters";
  if (!NAME_PART.test(name)) {
    return "is not a label key: the name must hold only letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** A label value: empty, or at most 63 characters as a label key's name part. */
export function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63) return "is not a label value: at most 63 characters";
  if (!NAME_PART.test(value)) {
    return "is not a label value: only letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}
