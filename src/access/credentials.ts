// Credentials: cards, PINs, QR codes, mobile keys and face enrolments, each found by what a reader sends.
import { z } from "@hono/zod-openapi";
import type { Kysely, Selectable } from "kysely";
import { maskCredential } from "../core/mask.js";
import type { Credential, CredentialKind } from "../core/model.js";
import type { EventIn } from "../events/ingest.js";
import { errors } from "../http/errors.js";
import { typeError } from "../lib/validation.js";
import type { CredentialsTable, Database } from "../store/schema.js";
import { activity, instant, isoOrNull, resourceId, stampsOut } from "./fields.js";
import { pinDigest, pinSalt } from "./pin.js";
import {
  baseOut,
  deleteRow,
  insertRow,
  numOrNull,
  type ResourceSpec,
  requireIds,
  rowReads,
  updateRow,
} from "./resource.js";
import { msOf } from "./users.js";

const CredentialKindSchema = z.enum(["card", "pin", "qr", "mobile", "face"], {
  error: "must be one of: card, pin, qr, mobile, face",
});

const common = {
  user_id: resourceId.nullable().openapi({ description: "Its holder; null: not linked (denied at readers)" }),
  status: activity,
  valid_from: instant.openapi({ description: "Inclusive; null: always" }),
  valid_until: instant.openapi({ description: "Exclusive; null: never expires" }),
};
const commonIn = {
  user_id: common.user_id.default(null),
  status: common.status.default("active"),
  valid_from: common.valid_from.default(null),
  valid_until: common.valid_until.default(null),
};

export const cardNumber = z
  .string({ error: typeError("a string of digits") })
  .regex(/^[0-9A-Fa-f]{1,32}$/, { error: "must be 1–32 digits (hex allowed)" });
export const facilityCode = z
  .int({ error: typeError("an integer 0–65535") })
  .min(0, { error: "must be an integer 0–65535" })
  .max(65535, { error: "must be an integer 0–65535" });
export const pinCode = z
  .string({ error: typeError("a string of 4–12 digits") })
  .regex(/^\d{4,12}$/, { error: "must be 4–12 digits" });
export const tokenValue = z
  .string({ error: typeError("a string") })
  .min(1, { error: "must be between 1 and 256 characters" })
  .max(256, { error: "must be between 1 and 256 characters" });

export const CredentialIn = z
  .discriminatedUnion(
    "kind",
    [
      z.strictObject({
        kind: z.literal("card"),
        card: z.strictObject({ facility_code: facilityCode, card_number: cardNumber }),
        ...commonIn,
      }),
      z.strictObject({
        kind: z.literal("pin"),
        pin: pinCode.openapi({ description: "Write-only: stored hashed" }),
        ...commonIn,
      }),
      z.strictObject({
        kind: z.enum(["qr", "mobile", "face"]),
        value: tokenValue.openapi({ description: "The token or enrolment reference" }),
        ...commonIn,
      }),
    ],
    { error: "kind: must be one of: card, pin, qr, mobile, face" },
  )
  .openapi("CredentialIn");
export const CredentialPatch = z.strictObject(common).partial().openapi("CredentialPatch");
export const CredentialOut = z
  .object({
    id: z.int(),
    user_id: z.int().nullable(),
    kind: CredentialKindSchema,
    status: activity,
    valid_from: z.string().nullable(),
    valid_until: z.string().nullable(),
    card: z.object({ facility_code: z.int(), card_number: z.string() }).nullable(),
    value: z
      .string()
      .nullable()
      .openapi({ description: "QR, mobile or face reference; null for cards and PINs" }),
    masked: z.string().nullable().openapi({ description: "As events show it; null for a PIN" }),
    ...stampsOut,
  })
  .openapi("Credential");
export type CredentialIn = z.infer<typeof CredentialIn>;
export type CredentialPatch = z.infer<typeof CredentialPatch>;
export type CredentialOut = z.infer<typeof CredentialOut>;

/** What a reader sends for a card: facility code and number as one lookup key. */
export const cardLookup = (facilityCode: number, cardNumber: string) =>
  `${facilityCode}:${cardNumber.toUpperCase()}`;

/** The stored lookup key of what a reader presented; PINs are digested first. */
export async function lookupOf(db: Kysely<Database>, kind: CredentialKind, value: string): Promise<string> {
  return kind === "pin" ? pinDigest(value, await pinSalt(db)) : value;
}

const fromRow = (row: Selectable<CredentialsTable>): CredentialOut => {
  const kind = row.kind as CredentialKind;
  const shown = kind === "card" ? (row.card_number ?? "") : (row.value ?? "");
  return {
    ...baseOut(row),
    user_id: numOrNull(row.user_id),
    kind,
    status: row.status as CredentialOut["status"],
    valid_from: isoOrNull(numOrNull(row.valid_from)),
    valid_until: isoOrNull(numOrNull(row.valid_until)),
    card:
      kind === "card" ? { facility_code: row.facility_code ?? 0, card_number: row.card_number ?? "" } : null,
    value: kind === "card" || kind === "pin" ? null : row.value,
    masked: maskCredential(kind, shown),
  };
};

/** The credential as the pure access decision reads it. */
export function toCoreCredential(row: Selectable<CredentialsTable>): Credential {
  const from = numOrNull(row.valid_from);
  const until = numOrNull(row.valid_until);
  return {
    id: String(row.id),
    user_id: row.user_id === null ? null : String(row.user_id),
    kind: row.kind as CredentialKind,
    status: row.status as Credential["status"],
    ...(from === null ? {} : { valid_from: from }),
    ...(until === null ? {} : { valid_until: until }),
  };
}

const { get, list } = rowReads("credentials", fromRow, { sited: false });

async function stored(db: Kysely<Database>, input: CredentialIn) {
  switch (input.kind) {
    case "card":
      return {
        lookup: cardLookup(input.card.facility_code, input.card.card_number),
        facility_code: input.card.facility_code,
        card_number: input.card.card_number.toUpperCase(),
        value: null,
      };
    case "pin":
      return {
        lookup: await lookupOf(db, "pin", input.pin),
        facility_code: null,
        card_number: null,
        value: null,
      };
    default:
      return { lookup: input.value, facility_code: null, card_number: null, value: input.value };
  }
}

const FACE_EVENTS = {
  created: "credential.face_enrolled",
  updated: "credential.face_updated",
  deleted: "credential.face_removed",
};

export const credentials: ResourceSpec<CredentialIn, CredentialPatch, CredentialOut> = {
  noun: "credential",
  plural: "credentials",
  tag: "Credentials",
  In: CredentialIn,
  Patch: CredentialPatch,
  Out: CredentialOut,
  sited: false,
  auditResource: () => "credential",
  list,
  get,
  async create({ trx }, input, now) {
    if (input.user_id !== null) await requireIds(trx, "users", [input.user_id], "user_id");
    if (input.valid_from !== null && input.valid_until !== null && input.valid_until <= input.valid_from) {
      throw errors.invalid("valid_until: must be after valid_from");
    }
    const columns = await stored(trx, input);
    const taken = await trx
      .selectFrom("credentials")
      .select("id")
      .where("kind", "=", input.kind)
      .where("lookup", "=", columns.lookup)
      .executeTakeFirst();
    if (taken) throw errors.conflict(`another ${input.kind} credential already has this value`);
    const id = await insertRow(trx, "credentials", {
      kind: input.kind,
      user_id: input.user_id,
      status: input.status,
      valid_from: input.valid_from,
      valid_until: input.valid_until,
      ...columns,
      created_at: now,
      updated_at: now,
    });
    return (await get(trx, id)) as CredentialOut;
  },
  async update({ trx }, current, patch, now) {
    if (patch.user_id != null) await requireIds(trx, "users", [patch.user_id], "user_id");
    const from = patch.valid_from === undefined ? msOf(current.valid_from) : patch.valid_from;
    const until = patch.valid_until === undefined ? msOf(current.valid_until) : patch.valid_until;
    if (from !== null && until !== null && until <= from)
      throw errors.invalid("valid_until: must be after valid_from");
    await updateRow(trx, "credentials", current.id, { ...patch, updated_at: now });
    return (await get(trx, current.id)) as CredentialOut;
  },
  async remove({ trx }, current) {
    await deleteRow(trx, "credentials", current.id);
  },
  async domainEvents({ trx }, action, before, after) {
    const credential = (after ?? before) as CredentialOut;
    const user =
      credential.user_id === null
        ? null
        : await trx
            .selectFrom("users")
            .select(["id", "name"])
            .where("id", "=", credential.user_id)
            .executeTakeFirst();
    const ref = { id: credential.id, kind: credential.kind, masked: credential.masked ?? "****" };
    const data: Record<string, unknown> = {
      user: user ? { id: Number(user.id), name: user.name } : null,
      credential: ref,
      ...(credential.card ? { card: credential.card } : {}),
    };
    const type = credential.kind === "face" ? FACE_EVENTS[action] : `credential.${action}`;
    const event: EventIn = { type, data };
    return [event];
  },
};
