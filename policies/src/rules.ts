import type { Permission } from "./permissions.ts";

/**
 * What an operation requires:
 * - `public`: anyone, signed in or not (only `login`);
 * - `authenticated`: any signed-in user (data is still scoped to their tenant);
 * - a permission: a signed-in user one of whose roles grants it.
 */
export type OperationRule = { kind: "public" } | { kind: "authenticated" } | { kind: "permission"; permission: Permission };

export const pub: OperationRule = { kind: "public" };
export const signedIn: OperationRule = { kind: "authenticated" };
export const needs = (permission: Permission): OperationRule => ({ kind: "permission", permission });
