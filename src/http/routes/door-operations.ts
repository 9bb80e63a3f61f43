// What happens at a door through the API: a reader's access request, a remote unlock, a mode change, and
// the door's live state. Each outcome is committed with its events in one transaction.
import { createRoute, z } from "@hono/zod-openapi";
import { AccessRequestIn, decide, recordPassage } from "../../access/access-requests.js";
import { actorOf, auditEvent } from "../../access/audit.js";
import { driveDoor, readDoorState } from "../../access/door-control.js";
import { DoorMode, type DoorOut, getDoor } from "../../access/doors.js";
import { seconds } from "../../access/fields.js";
import type { EventIn } from "../../events/ingest.js";
import { requireRole } from "../auth.js";
import { errors } from "../errors.js";
import { errorResponses, jsonBody, jsonResponse, notFoundResponse, security } from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";
import { IdParam } from "./resources.js";

const AccessAnswer = z
  .object({
    granted: z.boolean(),
    method: z
      .string()
      .optional()
      .openapi({ description: "How access was granted (access.granted's method)" }),
    reason: z.string().optional().openapi({ description: "Why access was denied (access.denied's reason)" }),
    detail: z.string().optional(),
    event_id: z.string().openapi({ description: "The access.granted or access.denied event" }),
  })
  .openapi("AccessAnswer");

const UnlockIn = z
  .strictObject({
    seconds: seconds(1, 3600).optional().openapi({ description: "Default: the door's unlock duration" }),
  })
  .openapi("UnlockIn");
const ModeIn = z.strictObject({ mode: DoorMode }).openapi("DoorModeIn");
const DoorStateOut = z
  .object({
    door_id: z.int(),
    mode: DoorMode,
    contact: z.enum(["open", "closed"]),
    lock: z.enum(["locked", "unlocked"]),
    alarm: z.enum(["forced", "held"]).nullable(),
  })
  .openapi("DoorState");
const Emitted = z.object({ event_ids: z.array(z.string()) }).openapi("EmittedEvents");

export function doorOperationRoutes(s: Services) {
  const app = newRouter();
  const admin = requireRole(s.auth);
  const ingest = requireRole(s.auth, "ingest");
  const viewer = requireRole(s.auth, "viewer");
  const tags = ["Door operations"];

  const findDoor = async (raw: string): Promise<DoorOut> => {
    const door = await getDoor(s.store.db, Number(raw));
    if (!door) throw errors.notFound(`door ${raw}`);
    return door;
  };
  /** The door as stored inside the change's transaction (its mode may have changed since the lookup). */
  const current = async (db: Parameters<typeof getDoor>[0], id: number) => {
    const door = await getDoor(db, id);
    if (!door) throw errors.notFound(`door ${id}`);
    return door;
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/doors/{id}/access-requests",
      tags,
      summary: "Decide a credential presented at the door's reader",
      description:
        "Answers granted or denied with a reason, records `access.granted` or `access.denied` (credential masked) and, on a grant, unlocks the door.",
      security,
      middleware: [ingest] as const,
      request: { params: IdParam, body: jsonBody(AccessRequestIn) },
      responses: { 200: jsonResponse(AccessAnswer, "The decision"), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const seen = await findDoor(c.req.valid("param").id);
      const input = c.req.valid("json");
      const { value, accepted } = await s.ingest.apply([seen.site_id], async ({ trx }) => {
        const door = await current(trx, seen.id);
        const now = s.clock.now();
        const outcome = await decide(trx, door, input, now);
        const type = outcome.decision.granted ? "access.granted" : "access.denied";
        const events: EventIn[] = [{ type, site_id: door.site_id, data: outcome.eventData }];
        if (outcome.passage) await recordPassage(trx, outcome.passage, now);
        if (outcome.decision.granted) {
          events.push(...(await driveDoor(trx, door, { kind: "grant", cause: "access_granted" }, now)));
        }
        return { value: outcome.decision, events };
      });
      const { granted, detail } = value;
      return c.json(
        {
          granted,
          ...(value.granted ? { method: value.method } : { reason: value.reason }),
          ...(detail === undefined ? {} : { detail }),
          event_id: accepted[0]?.id ?? "",
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/doors/{id}/unlock",
      tags,
      summary: "Unlock the door remotely for a while",
      description: "Records `access.granted` with method `remote_api` and the lock events.",
      security,
      middleware: [admin] as const,
      request: { params: IdParam, body: jsonBody(UnlockIn) },
      responses: {
        200: jsonResponse(Emitted, "Unlocked; the events recorded"),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const seen = await findDoor(c.req.valid("param").id);
      const { seconds: forSeconds } = c.req.valid("json");
      const actor = actorOf(c.get("apiKey"));
      const { accepted } = await s.ingest.apply([seen.site_id], async ({ trx }) => {
        const door = await current(trx, seen.id);
        if (door.mode === "locked_down")
          throw errors.conflict(`door ${door.id} is locked down; change its mode first`);
        const granted: EventIn = {
          type: "access.granted",
          site_id: door.site_id,
          data: {
            door: { id: door.id, name: door.name },
            reader: null,
            user: null,
            credential: null,
            method: "remote_api",
            actor,
          },
        };
        const input = {
          kind: "grant" as const,
          cause: "remote_api" as const,
          ...(forSeconds ? { seconds: forSeconds } : {}),
        };
        return { value: undefined, events: [granted, ...(await driveDoor(trx, door, input, s.clock.now()))] };
      });
      return c.json({ event_ids: accepted.map((a) => a.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/doors/{id}/mode",
      tags,
      summary: "Set the door's mode: normal, unlocked (free access) or locked_down",
      description: "Records `door.mode_changed`, the lock events it causes, and `audit.door.updated`.",
      security,
      middleware: [admin] as const,
      request: { params: IdParam, body: jsonBody(ModeIn) },
      responses: {
        200: jsonResponse(Emitted, "The events recorded"),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const seen = await findDoor(c.req.valid("param").id);
      const { mode } = c.req.valid("json");
      const actor = actorOf(c.get("apiKey"));
      const { accepted } = await s.ingest.apply([seen.site_id], async ({ trx }) => {
        const door = await current(trx, seen.id);
        if (door.mode === mode) return { value: undefined, events: [] };
        const now = s.clock.now();
        await trx.updateTable("doors").set({ mode, updated_at: now }).where("id", "=", door.id).execute();
        const events = await driveDoor(trx, door, { kind: "mode", mode }, now);
        const audit = auditEvent({
          resource: "door",
          action: "updated",
          id: door.id,
          actor,
          site: door.site_id,
          changes: { mode: { before: door.mode, after: mode } },
        });
        return { value: undefined, events: [...events, audit] };
      });
      return c.json({ event_ids: accepted.map((a) => a.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/doors/{id}/state",
      tags,
      summary: "The door's live state: contact, lock, alarm",
      security,
      middleware: [viewer] as const,
      request: { params: IdParam },
      responses: { 200: jsonResponse(DoorStateOut, "The state now"), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const door = await findDoor(c.req.valid("param").id);
      const state = await readDoorState(s.store.db, door);
      return c.json(
        { door_id: door.id, mode: door.mode, contact: state.contact, lock: state.lock, alarm: state.alarm },
        200,
      );
    },
  );

  return app;
}
