// The device API: heartbeats, door inputs and device-reported events, addressed by serial number.
import { createRoute, z } from "@hono/zod-openapi";
import {
  DeviceEventIn,
  DeviceInputIn,
  HeartbeatIn,
  recordHeartbeat,
  recordInput,
  recordReport,
} from "../../access/device-reports.js";
import { getDeviceBySerial } from "../../access/devices.js";
import type { EventIn } from "../../events/ingest.js";
import type { BatchContext } from "../../store/group-commit.js";
import { requireRole } from "../auth.js";
import { errors } from "../errors.js";
import {
  conflictResponse,
  errorResponses,
  jsonBody,
  jsonResponse,
  notFoundResponse,
  security,
} from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";

const SerialParam = z.object({
  serial: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: "must be a device serial number" })
    .openapi({ param: { name: "serial", in: "path" }, example: "GH-CTRL-0001" }),
});

const Emitted = z.object({ event_ids: z.array(z.string()) }).openapi("DeviceEmittedEvents");

export function deviceReportRoutes(s: Services) {
  const app = newRouter();
  const ingest = requireRole(s.auth, "ingest");
  const tags = ["Device API"];

  /** Runs a device's report under its site's lock, reading the device afresh inside the transaction. */
  async function report(
    serial: string,
    record: (
      ctx: BatchContext,
      row: NonNullable<Awaited<ReturnType<typeof getDeviceBySerial>>>,
    ) => Promise<EventIn[]>,
  ): Promise<string[]> {
    const seen = await getDeviceBySerial(s.store.db, serial);
    if (!seen) throw errors.notFound(`device ${serial}`);
    const { accepted } = await s.ingest.apply([Number(seen.site_id)], async (ctx) => {
      const row = await getDeviceBySerial(ctx.trx, serial);
      if (!row) throw errors.notFound(`device ${serial}`);
      return { value: undefined, events: await record(ctx, row) };
    });
    return accepted.map((a) => a.id);
  }

  const route = (path: string, summary: string, description: string, body: z.ZodType) =>
    createRoute({
      method: "post",
      path,
      tags,
      summary,
      description,
      security,
      middleware: [ingest] as const,
      request: { params: SerialParam, body: jsonBody(body) },
      responses: {
        200: jsonResponse(Emitted, "The events recorded"),
        ...errorResponses,
        ...notFoundResponse,
        ...conflictResponse,
      },
    });

  app.openapi(
    route(
      "/v1/devices/{serial}/heartbeat",
      "A device's sign of life",
      "Records `device.healthcheck` (and `device.connected` when it was disconnected or never seen). A device silent for longer than its heartbeat timeout is reported with `device.disconnected`.",
      HeartbeatIn,
    ),
    async (c) => {
      const input = c.req.valid("json") as HeartbeatIn;
      const ids = await report(c.req.valid("param").serial, ({ trx }, row) =>
        recordHeartbeat(trx, row, input, s.clock.now()),
      );
      return c.json({ event_ids: ids }, 200);
    },
  );

  app.openapi(
    route(
      "/v1/devices/{serial}/inputs",
      "A door contact, exit button or tamper input",
      "Drives the device's door: `door.opened`/`door.closed`, `door.forced_open` for an opening nobody was granted, `door.held_open`, `door.secured`, lock events; a tamper input records `device.tamper`.",
      DeviceInputIn,
    ),
    async (c) => {
      const input = c.req.valid("json") as DeviceInputIn;
      const ids = await report(c.req.valid("param").serial, ({ trx }, row) =>
        recordInput(trx, row, input, s.clock.now()),
      );
      return c.json({ event_ids: ids }, 200);
    },
  );

  app.openapi(
    route(
      "/v1/devices/{serial}/events",
      "An event the device reports itself",
      "Intercom calls, lift calls, logins, alarms, boots and other device events from the catalog; the device's serial number and site are added.",
      DeviceEventIn,
    ),
    async (c) => {
      const input = c.req.valid("json") as DeviceEventIn;
      const ids = await report(c.req.valid("param").serial, ({ trx }, row) =>
        recordReport(trx, row, input, s.clock.now()),
      );
      return c.json({ event_ids: ids }, 200);
    },
  );

  return app;
}
