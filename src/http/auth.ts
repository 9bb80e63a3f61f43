// API key authentication and role checks. Keys are looked up by digest and cached briefly.
import type { MiddlewareHandler } from "hono";
import type { Kysely } from "kysely";
import type { Clock } from "../lib/clock.js";
import { hashApiKey } from "../lib/ids.js";
import { type ApiKey, findApiKeyByHash, touchApiKey } from "../store/api-keys.js";
import type { Database, Role } from "../store/schema.js";
import { errors } from "./errors.js";

export type AuthEnv = { Variables: { apiKey: ApiKey } };

const CACHE_MS = 5_000;
const TOUCH_EVERY_MS = 60_000;

export class KeyAuthenticator {
  private cache = new Map<string, { key: ApiKey | undefined; at: number }>();
  private touched = new Map<number, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async authenticate(header: string | undefined): Promise<ApiKey | undefined> {
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) return undefined;
    const hash = hashApiKey(match[1]);
    const now = this.clock.now();
    let entry = this.cache.get(hash);
    if (!entry || now - entry.at > CACHE_MS) {
      entry = { key: await findApiKeyByHash(this.db, hash), at: now };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, entry);
    }
    if (entry.key && now - (this.touched.get(entry.key.id) ?? 0) > TOUCH_EVERY_MS) {
      this.touched.set(entry.key.id, now);
      void touchApiKey(this.db, entry.key.id, now).catch(() => {});
    }
    return entry.key;
  }

  /** Forgets cached keys at once, e.g. after one is deleted. */
  forget(): void {
    this.cache.clear();
  }
}

const roleNames: Record<Role, string> = { admin: "Administrator", viewer: "Viewer", ingest: "Ingest" };

/** Lets the request through when its key has one of the roles; admin may do everything. */
export function requireRole(auth: KeyAuthenticator, ...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const key = await auth.authenticate(c.req.header("authorization"));
    if (!key) throw errors.logIn();
    if (key.role !== "admin" && !roles.includes(key.role)) {
      throw errors.forbidden(`${roleNames[roles[0] ?? "admin"]} rights required`);
    }
    c.set("apiKey", key);
    await next();
  };
}
