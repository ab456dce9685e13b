/** The environment, validated once at start-up. Nothing is required: the demo runs without a .env. */
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().optional(),
  /** Secure cookies need HTTPS; on by default in production. `false` for a LAN demo over http. */
  SECURE_COOKIES: z.enum(["true", "false"]).optional(),
  /** How often (seconds) the server finalizes attempts left open past their deadline. */
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * Which reverse proxies may tell the client's address (X-Forwarded-For): unset or `false` trusts
   * none; a number is how many proxies stand in front; otherwise Express's list of addresses,
   * subnets or names (`loopback`, `10.0.0.0/8`, `uniquelocal`).
   */
  /**
   * The site's public address (`https://thi.example.gov.vn`), for absolute links in share cards and
   * embed snippets. Unset: the address the request came to (right behind a proxy that passes Host).
   */
  PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^/?#\s]+\/?$/, "địa chỉ dạng https://tên-miền, không có đường dẫn")
    .optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(false|\d{1,2}|[\w.:/, -]+)$/, "false, một số, hoặc danh sách địa chỉ/dải mạng")
    .optional(),
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

/** Forgets the validated environment, so a test can change process.env and read it again. */
export function resetEnv(): void {
  cached = undefined;
}

export function secureCookies(): boolean {
  const e = env();
  return e.SECURE_COOKIES ? e.SECURE_COOKIES === "true" : e.NODE_ENV === "production";
}

/** Express's `trust proxy` setting from TRUST_PROXY: no proxy at all unless one is configured. */
export function trustProxySetting(raw: string | undefined = env().TRUST_PROXY): false | number | string {
  const value = raw?.trim();
  if (!value || value === "false") return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  // `true` would trust any X-Forwarded-For from anyone: say how many proxies or which ones.
  if (value === "true") throw new Error("TRUST_PROXY=true tin mọi X-Forwarded-For: hãy ghi số proxy (ví dụ 1) hoặc địa chỉ của proxy.");
  return value;
}

/** The origin absolute URLs are built from: PUBLIC_URL, else the request's own. */
export function publicOrigin(request: Request): string {
  const configured = env().PUBLIC_URL;
  return configured ? new URL(configured).origin : new URL(request.url).origin;
}
