// PINs are kept only as a slow, keyed digest. The same PIN always gives the same digest, so a PIN typed at a
// keypad is found by index; the key (salt) is made once per installation and kept in the store.
import { randomBytes, scrypt } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";

const SALT_KEY = "pin_salt";
// ~10 ms per digest on a laptop core: cheap for one keypad entry, costly for guessing every PIN of a stolen store.
const COST = { N: 8192, r: 8, p: 1 };

/** The installation's PIN salt, made on first use (nodes may race to make it; the first one stays). */
export async function pinSalt(db: Kysely<Database>): Promise<string> {
  const found = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", SALT_KEY)
    .executeTakeFirst();
  if (found) return found.value;
  await db
    .insertInto("settings")
    .values({ key: SALT_KEY, value: randomBytes(16).toString("hex") })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", SALT_KEY)
    .executeTakeFirstOrThrow();
  return row.value;
}

export function pinDigest(pin: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, 32, COST, (error, key) =>
      error ? reject(error) : resolve(`scrypt:${key.toString("hex")}`),
    );
  });
}
