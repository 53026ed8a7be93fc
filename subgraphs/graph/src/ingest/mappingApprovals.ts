/**
 * Mappings and their approval: a mapping (and any type it introduces beyond
 * the built-in model) needs a tenant admin's approval before it may ingest;
 * a changed spec is a new version and needs approval again.
 */
import type { Driver } from "neo4j-driver";
import { appError, ErrorCode, requireUser, validateInput, type AuthenticatedPrincipal, type Principal } from "@intelgraph/kit";
import { BUILT_IN_ENTITIES, checkAgainstModel, type SchemaTypeRef } from "./graphModel.ts";
import { createMappingInput, reasonInput } from "./ingestInputs.ts";
import { notFound, type IngestServiceDeps } from "./ingestServiceDeps.ts";
import type { MappingDoc } from "./ingestStore.ts";
import { mappingSpecSchema, type MappingSpec } from "./mappingSpec.ts";

/** A mapping with each type it introduces marked approved (for the tenant) or not. */
export type MappingWithApproval = Omit<MappingDoc, "newTypes"> & { newTypes: Array<SchemaTypeRef & { approved: boolean }> };

const withApproval = (m: MappingDoc, approved: Set<string>): MappingWithApproval => ({
  ...m,
  newTypes: m.newTypes.map((t) => ({ ...t, approved: approved.has(`${t.kind}:${t.name}`) })),
});

function parseSpec(format: string, spec: unknown): { spec: MappingSpec | null; newTypes: SchemaTypeRef[] } {
  if (format === "STIX") {
    if (spec !== undefined && spec !== null)
      throw appError(ErrorCode.BAD_USER_INPUT, "STIX mappings are built in; leave spec empty.", { argument: "spec" });
    return { spec: null, newTypes: [] };
  }
  if (spec === undefined || spec === null)
    throw appError(ErrorCode.BAD_USER_INPUT, `A ${format} mapping needs a spec (entities and relationships).`, { argument: "spec" });
  const parsed = validateInput(mappingSpecSchema, spec);
  const { newTypes, problems } = checkAgainstModel(parsed);
  if (problems.length)
    throw appError(ErrorCode.BAD_USER_INPUT, `Invalid input — ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}.`, {
      problems,
    });
  return { spec: parsed, newTypes };
}

export function createMappingApprovals(deps: IngestServiceDeps) {
  const { store, now } = deps;

  async function approvedTypes(tenantId: string): Promise<Set<string>> {
    const rows = await store.schemaTypes.forTenant(tenantId).find({});
    return new Set(rows.map((r) => `${r.kind}:${r.name}`));
  }

  async function mappingFor(caller: AuthenticatedPrincipal, id: string): Promise<MappingDoc> {
    return (await store.mappings.forTenant(caller.tenantId).findOne({ _id: id })) ?? notFound("mapping", id);
  }

  const approved = async (caller: AuthenticatedPrincipal, m: MappingDoc) => withApproval(m, await approvedTypes(caller.tenantId));

  /** SCHEMA_NOT_APPROVED naming what is missing, unless an admin overrides it with a reason. */
  async function requireApproved(caller: AuthenticatedPrincipal, mapping: MappingDoc, override: string | undefined, canOverride: boolean) {
    const approvedNow = await approvedTypes(caller.tenantId);
    const unapprovedTypes = mapping.newTypes.filter((t) => !approvedNow.has(`${t.kind}:${t.name}`));
    if (mapping.state === "APPROVED" && !unapprovedTypes.length) return undefined;
    if (override !== undefined) {
      if (!canOverride)
        throw appError(ErrorCode.FORBIDDEN, "Overriding a schema approval needs the permission ingest:approve (tenant admins).", {
          requiredPermission: "ingest:approve",
        });
      return { by: caller.userId, reason: override };
    }
    const missing = [
      ...(mapping.state === "APPROVED"
        ? []
        : [`mapping "${mapping.name}" v${mapping.version} is ${mapping.state.toLowerCase().replace("_", " ")}`]),
      ...unapprovedTypes.map((t) => `${t.kind.toLowerCase()} type ${t.name}`),
    ];
    throw appError(
      ErrorCode.SCHEMA_NOT_APPROVED,
      `This ingest needs a tenant admin's approval first: ${missing.join("; ")}. Ask an admin to run approveIngestMapping.`,
      { mappingId: mapping._id, mappingState: mapping.state, unapprovedTypes },
    );
  }

  return {
    approvedTypes,
    mappingFor,
    requireApproved,

    /** Entity labels the tenant has: the built-in ones, then its approved entity types. */
    async entityLabelsFor(tenantId: string): Promise<string[]> {
      const custom = [...(await approvedTypes(tenantId))].filter((t) => t.startsWith("ENTITY:")).map((t) => t.slice(7));
      return [...Object.keys(BUILT_IN_ENTITIES), ...custom];
    },

    /** Types beyond the built-in model that the caller's tenant has approved. */
    async approvedSchemaTypes(principal: Principal): Promise<Array<{ kind: string; name: string }>> {
      const caller = requireUser(principal);
      return [...(await approvedTypes(caller.tenantId))].map((t) => {
        const [kind, ...name] = t.split(":");
        return { kind: kind!, name: name.join(":") };
      });
    },

    async listMappings(principal: Principal): Promise<MappingWithApproval[]> {
      const caller = requireUser(principal);
      const mappings = await store.mappings.forTenant(caller.tenantId).find({}, { sort: { createdAt: -1 } });
      const approvedNow = await approvedTypes(caller.tenantId);
      return mappings.map((m) => withApproval(m, approvedNow));
    },

    async mapping(principal: Principal, input: { id: string }): Promise<MappingWithApproval | null> {
      const caller = requireUser(principal);
      const m = await store.mappings.forTenant(caller.tenantId).findOne({ _id: input.id });
      return m ? approved(caller, m) : null;
    },

    async createMapping(principal: Principal, raw: unknown): Promise<MappingWithApproval> {
      const caller = requireUser(principal);
      const input = validateInput(createMappingInput, raw);
      const { spec, newTypes } = parseSpec(input.format, input.spec);
      const mappings = store.mappings.forTenant(caller.tenantId);
      if (await mappings.findOne({ name: input.name }))
        throw appError(ErrorCode.CONFLICT, `A mapping named "${input.name}" exists; update it or pick another name.`, { argument: "name" });
      const at = new Date(now());
      const created = await mappings.insertOne({
        name: input.name,
        format: input.format,
        spec,
        version: 1,
        state: "PENDING_APPROVAL",
        newTypes,
        createdBy: caller.userId,
        createdAt: at,
        updatedAt: at,
      });
      return approved(caller, created);
    },

    /** A changed spec is a new version and needs approval again. */
    async updateMapping(principal: Principal, input: { id: string; spec: unknown }): Promise<MappingWithApproval> {
      const caller = requireUser(principal);
      const { id } = input;
      const mapping = await mappingFor(caller, id);
      const { spec, newTypes } = parseSpec(mapping.format, input.spec);
      const same = JSON.stringify(spec) === JSON.stringify(mapping.spec);
      if (same) return approved(caller, mapping);
      const updated = await store.mappings.forTenant(caller.tenantId).findOneAndUpdate(
        { _id: id, version: mapping.version },
        {
          $set: { spec, newTypes, state: "PENDING_APPROVAL", updatedAt: new Date(now()) },
          $inc: { version: 1 },
          $unset: { decision: "" },
        },
      );
      if (!updated) throw appError(ErrorCode.CONFLICT, "The mapping changed while you edited it; load it again.", { id });
      return approved(caller, updated);
    },

    /** Approves or rejects a mapping's current version; approving approves the types it introduces, for the whole tenant. */
    async decideMapping(principal: Principal, input: { id: string; approve: boolean; reason: unknown }): Promise<MappingWithApproval> {
      const caller = requireUser(principal);
      const { id, approve } = input;
      const why = validateInput(reasonInput, input.reason);
      const mapping = await mappingFor(caller, id);
      const at = new Date(now());
      if (approve) {
        const types = store.schemaTypes.forTenant(caller.tenantId);
        for (const t of mapping.newTypes) {
          const _id = `${caller.tenantId}:${t.kind}:${t.name}`;
          if (!(await types.findOne({ _id })))
            await types.insertOne({ _id, kind: t.kind, name: t.name, approvedBy: caller.userId, approvedAt: at, mappingId: id });
        }
        await ensureTypeConstraints(deps.driver, deps.database, mapping.newTypes);
      }
      const updated = await store.mappings
        .forTenant(caller.tenantId)
        .findOneAndUpdate(
          { _id: id, version: mapping.version },
          { $set: { state: approve ? "APPROVED" : "REJECTED", decision: { by: caller.userId, at, reason: why }, updatedAt: at } },
        );
      if (!updated) throw appError(ErrorCode.CONFLICT, "The mapping changed while you reviewed it; review the new version.", { id });
      return approved(caller, updated);
    },
  };
}

export type MappingApprovals = ReturnType<typeof createMappingApprovals>;

/** New types get the same id uniqueness the built-in ones have, so MERGE by id stays safe and fast. */
async function ensureTypeConstraints(driver: Driver, database: string, types: SchemaTypeRef[]) {
  const session = driver.session({ database });
  try {
    for (const t of types.filter((x) => x.kind === "ENTITY")) {
      await session.run(`CREATE CONSTRAINT ${t.name.toLowerCase()}_id IF NOT EXISTS FOR (n:\`${t.name}\`) REQUIRE n.id IS UNIQUE`);
      await session.run(`CREATE INDEX ${t.name.toLowerCase()}_tenant IF NOT EXISTS FOR (n:\`${t.name}\`) ON (n.tenantId)`);
    }
  } finally {
    await session.close();
  }
}
