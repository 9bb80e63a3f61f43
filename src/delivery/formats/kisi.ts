// The kisi body format: Kisi's Event Webhook payload (seed 001), the same fourteen fields for every event.
import { vendorEventName } from "../../events/vendor-names.js";
import {
  credentialOf,
  type Fields,
  integerOr,
  isoSeconds,
  objectOr,
  pascalCase,
  refOf,
  stringOr,
} from "./event-refs.js";
import type { EventView } from "./event-view.js";

/** Gatehouse is one organisation per installation; Kisi's payload always names one, so it is 1. */
export const KISI_ORGANIZATION_ID = 1;

/** Who acted, in Kisi's terms: `User`, `GroupLink` (a shared link), or null (nobody known, e.g. exit button). */
interface Party {
  type: string | null;
  id: number | null;
  name: string | null;
}

const NOBODY: Party = { type: null, id: null, name: null };

/** What error_message says for each deny reason; error_code is the reason itself, a stable catalog code. */
export const KISI_DENY_MESSAGES: Record<string, string> = {
  unknown_credential: "Unknown credential",
  unknown_qr: "Unknown QR code",
  invalid_credential: "Credential not valid: expired, disabled or not yet valid",
  invalid_face: "Face not recognised",
  invalid_pin: "Wrong PIN",
  not_linked_to_user: "Credential not linked to a user",
  not_in_group: "No access to this door",
  outside_schedule: "Outside the access schedule",
  holiday: "No access on a holiday",
  lockdown: "Door is locked down",
  anti_passback: "Anti-passback violation",
  remote_server_denied: "Refused by the remote server",
  multi_credential_incomplete: "Second credential missing",
  shared_credential_invalid: "Shared credential not valid",
};

const ANONYMOUS_METHODS = new Set(["exit_button", "free_access_button"]);

function actorOf(event: EventView): Party {
  const { data } = event;
  const user = refOf(data, "user");
  if (event.type === "access.granted" && ANONYMOUS_METHODS.has(String(data.method))) return NOBODY;
  if (event.type === "access.granted" && data.method === "shared_credential") {
    const link = credentialOf(data);
    return { type: "GroupLink", id: link?.id ?? null, name: link?.masked ?? null };
  }
  if (/^(access|lift)\./.test(event.type) && user) return { type: "User", ...user };
  if (event.type.startsWith("login.")) return { type: "User", id: null, name: stringOr(data.principal) };
  const key = objectOr(data.actor);
  if (event.type.startsWith("audit.") && key) {
    return { type: "ApiKey", id: integerOr(key.id), name: stringOr(key.name) };
  }
  return NOBODY;
}

/** What the event is about: the door (Kisi's Lock) when there is one, else the device, record or resource. */
function objectOf(event: EventView): Party {
  const { data } = event;
  const door = refOf(data, "door");
  if (door) return { type: "Lock", ...door };
  const serial = stringOr(data.serial_number);
  if (serial) return { type: "Device", id: null, name: serial };
  if (event.type.startsWith("login.")) return { type: "Organization", id: KISI_ORGANIZATION_ID, name: null };
  const credential = credentialOf(data);
  if (credential) return { type: "Credential", id: credential.id, name: credential.masked };
  const schedule = refOf(data, "schedule");
  if (schedule) return { type: "Schedule", ...schedule };
  const webhook = objectOr(data.webhook);
  if (webhook) return { type: "Webhook", id: integerOr(webhook.uid), name: stringOr(webhook.name) };
  const resource = objectOr(data.resource);
  if (resource) return { type: pascalCase(String(resource.type)), id: resourceId(resource.id), name: null };
  if (typeof data.sensor === "string") return { type: "Sensor", id: null, name: data.sensor };
  return NOBODY;
}

const resourceId = (id: unknown): number | null =>
  integerOr(id) ?? (typeof id === "string" && /^\d+$/.test(id) ? Number(id) : null);

/** Refusals and failures answer success false with a code and a message; everything else succeeded. */
function outcomeOf(event: EventView): { success: boolean; code: string | null; message: string | null } {
  const { data } = event;
  switch (event.type) {
    case "access.denied": {
      const reason = String(data.reason);
      return { success: false, code: reason, message: KISI_DENY_MESSAGES[reason] ?? "Access denied" };
    }
    case "login.failed":
      return { success: false, code: "login_failed", message: "Login failed" };
    case "lift.call_failed":
    case "lift.access_denied":
      return {
        success: false,
        code: event.type.slice(5),
        message: stringOr(data.reason) ?? "Lift call refused",
      };
    default:
      return { success: true, code: null, message: null };
  }
}

/** Seed 001's payload, field for field; a type Kisi has no name for keeps its canonical name in `type`. */
export function renderKisi(event: EventView): Record<string, unknown> {
  const data: Fields = event.data;
  const actor = actorOf(event);
  const object = objectOf(event);
  const outcome = outcomeOf(event);
  return {
    uuid: event.id,
    actor_type: actor.type,
    actor_id: actor.id,
    actor_name: actor.name,
    object_type: object.type,
    object_id: object.id,
    object_name: object.name,
    organization_id: KISI_ORGANIZATION_ID,
    place_id: event.site_id,
    success: outcome.success,
    type: vendorEventName("kisi", event.type, data) ?? event.type,
    error_code: outcome.code,
    error_message: outcome.message,
    created_at: isoSeconds(event.timestamp),
  };
}
