import { z } from "zod";

const secret = (name: string) =>
  z.string({ error: `${name} is required` }).min(32, `${name} must be at least 32 characters (e.g. \`openssl rand -base64 48\`)`);

/** Environment every service understands. Read only in composition roots (main.ts). */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HOST: z.string().default("127.0.0.1"),
  PRINCIPAL_SIGNING_KEY: secret("PRINCIPAL_SIGNING_KEY"),
  MONGODB_URI: z.string().startsWith("mongodb", "MONGODB_URI must be a mongodb:// or mongodb+srv:// URL"),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/)
    .default("intelgraph"),
  NEO4J_URI: z.string().regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\//, "NEO4J_URI must be a bolt:// or neo4j:// URL"),
  NEO4J_USER: z.string().default("neo4j"),
  NEO4J_PASSWORD: z.string().min(1, "NEO4J_PASSWORD is required"),
  NEO4J_DATABASE: z.string().default("neo4j"),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * Parses `env` with `schema`; on failure throws one error listing every bad
 * variable, so an operator fixes them all in one go.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
}
