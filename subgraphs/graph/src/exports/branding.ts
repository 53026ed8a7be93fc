/**
 * A tenant's report branding (name, footer, accent colour, logo), set by a
 * tenant admin and printed on every export. Until one is set, exports carry
 * the tenant's legal entity as the name and the default colour.
 */
import { Binary, type Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  requireUser,
  systemClock,
  validateInput,
  type Clock,
  type Principal,
} from "@intelgraph/kit";
import type { Branding } from "./exportModel.ts";

export const BRANDING_COLLECTION = "graph_report_branding";
export const DEFAULT_ACCENT = "#1f4e79";
const MAX_LOGO_BYTES = 256 * 1024;

interface BrandingDoc {
  _id: string;
  tenantId: string;
  name: string;
  footer: string | null;
  accentColor: string;
  logo: Binary | null;
  updatedBy: string;
  updatedAt: Date;
}

const input = z.object({
  name: z.string().trim().min(1, "a name").max(120),
  footer: z.string().trim().max(300).nullish(),
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "a colour as #rrggbb")
    .nullish(),
  logoBase64: z
    .string()
    .max(Math.ceil((MAX_LOGO_BYTES * 4) / 3) + 8, "a logo of at most 256 KiB")
    .nullish(),
});

function decodeLogo(base64: string): Buffer {
  const bytes = Buffer.from(base64, "base64");
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!png && !jpeg)
    throw appError(ErrorCode.BAD_USER_INPUT, "The logo must be a PNG or JPEG image, base64-encoded.", { field: "logoBase64" });
  if (bytes.length > MAX_LOGO_BYTES) throw appError(ErrorCode.BAD_USER_INPUT, "The logo is larger than 256 KiB.", { field: "logoBase64" });
  return bytes;
}

export function createBranding(options: { db: Db; now?: Clock }) {
  const { now = systemClock } = options;
  const repo = createTenantRepository<BrandingDoc>(options.db, BRANDING_COLLECTION);
  const idOf = (tenantId: string) => `branding:${tenantId}`;

  return {
    ensureIndexes: () => repo.ensureIndexes(),

    async get(tenantId: string): Promise<(Branding & { updatedBy: string | null; updatedAt: Date | null; stored: boolean }) | null> {
      const doc = await repo.forTenant(tenantId).findOne({ _id: idOf(tenantId) });
      if (!doc) return null;
      return { ...doc, logo: doc.logo ? Buffer.from(doc.logo.buffer) : null, stored: true };
    },

    /** What exports print: the stored branding, or the legal entity and the default colour. */
    async forExport(tenantId: string, legalEntity: string): Promise<Branding> {
      const doc = await this.get(tenantId);
      return doc
        ? { name: doc.name, footer: doc.footer, accentColor: doc.accentColor, logo: doc.logo }
        : { name: legalEntity, footer: null, accentColor: DEFAULT_ACCENT, logo: null };
    },

    async set(principal: Principal, raw: unknown) {
      const caller = requireUser(principal);
      const args = validateInput(input, raw);
      const current = await this.get(caller.tenantId);
      const logo =
        args.logoBase64 === undefined || args.logoBase64 === null
          ? (current?.logo ?? null)
          : args.logoBase64 === ""
            ? null
            : decodeLogo(args.logoBase64);
      await repo.forTenant(caller.tenantId).findOneAndUpdate(
        { _id: idOf(caller.tenantId) },
        {
          $set: {
            name: args.name,
            footer: args.footer ?? null,
            accentColor: args.accentColor ?? current?.accentColor ?? DEFAULT_ACCENT,
            logo: logo ? new Binary(logo) : null,
            updatedBy: caller.userId,
            updatedAt: new Date(now()),
          },
        },
        { upsert: true },
      );
      return (await this.get(caller.tenantId))!;
    },
  };
}

export type BrandingStore = ReturnType<typeof createBranding>;
