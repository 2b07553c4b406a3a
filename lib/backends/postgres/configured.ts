/* eslint-disable @typescript-eslint/no-require-imports */
import type * as pulumi from "@pulumi/pulumi";
import type { PostgresConfig } from "../../config/model";
import type { PostgresBackend } from "./backend";

/**
 * The configured backend, its explicit provider (if any) registered on creation. Only the
 * configured backend's module loads, and with it its provider package.
 */
export function postgresBackend(
  postgres: PostgresConfig,
  adminPassword: pulumi.Input<string> | undefined,
): PostgresBackend {
  switch (postgres.provider) {
    case "postgresql":
      return (
        require("./postgresqlBackend") as typeof import("./postgresqlBackend")
      ).postgresqlBackend(postgres, adminPassword);
    case "dynamic":
      return (require("./dynamicBackend") as typeof import("./dynamicBackend")).dynamicPostgres(
        postgres,
        adminPassword,
      );
  }
}
