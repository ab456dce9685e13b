/** The environment, validated once at start-up. Nothing is required: the demo runs without a .env. */
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().optional(),
  /** Secure cookies need HTTPS; on by default in production. `false` for a LAN demo over http. */
  SECURE_COOKIES: z.enum(["true", "false"]).optional(),
  /** How often (seconds) the server finalizes attempts left open past their deadline. */
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const result = schema.safeParse(process.env);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Biến môi trường không hợp lệ: ${problems}`);
    }
    cached = result.data;
  }
  return cached;
}

export function secureCookies(): boolean {
  const e = env();
  return e.SECURE_COOKIES ? e.SECURE_COOKIES === "true" : e.NODE_ENV === "production";
}
