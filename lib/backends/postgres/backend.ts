import type * as pulumi from "@pulumi/pulumi";

/** A role or database resource, with the name the server knows it by. */
export type NamedResource = pulumi.CustomResource & { readonly name: pulumi.Output<string> };

/** What `isolatedDatabase` creates. */
export interface IsolatedDatabaseArgs {
  /** The login role: no other rights (no superuser, no CREATEDB, no CREATEROLE). */
  readonly role: string;
  /** Its password; stored as a secret. */
  readonly password: pulumi.Input<string>;
  /** The database the role owns, and the only role that may connect to it. */
  readonly database: string;
}

/** A login role and the database only it may connect to. */
export interface IsolatedDatabase {
  readonly role: NamedResource;
  readonly database: NamedResource;
  /**
   * Rights changed by resources of their own (the revocation of PUBLIC's CONNECT under
   * @pulumi/postgresql); empty where creating the database revokes it (dynamic).
   */
  readonly grants: readonly pulumi.CustomResource[];
}

/**
 * The shared PostgreSQL through one of its backends: `postgresql` (@pulumi/postgresql)
 * or `dynamic` (the platform's own dynamic provider, for engines without that plugin).
 * Callers never ask which one it is.
 */
export interface PostgresBackend {
  /**
   * Providers for the components' `providers` option, by package name: roles, databases
   * and grants, registered with a component as their parent, take their provider from
   * there. Empty for `dynamic`, whose resources carry their connection as an input.
   */
  readonly providers: Readonly<Record<string, pulumi.ProviderResource>>;
  /**
   * Creates `<name>-role`, `<name>-db` and (where the backend needs one) `<name>-revoke-public`.
   * Role and database get `opts` (retained, protected as the caller says); a grant is
   * retained but never protected (it protects nothing: the database goes with its rights).
   */
  isolatedDatabase(
    name: string,
    args: IsolatedDatabaseArgs,
    opts: pulumi.CustomResourceOptions & { readonly parent: pulumi.Resource },
  ): IsolatedDatabase;
}
