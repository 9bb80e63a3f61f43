// `gatehouse/verify`, the receiver SDK: what it loads at run time, its dispatcher, and its event types.
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, expectTypeOf, it } from "vitest";
import { signatureHeaders } from "../../src/delivery/signing/index.js";
import { EVENT_TYPES } from "../../src/events/catalog.js";
import type { AccessGrantedData, DoorHeldOpenData } from "../../src/events/data-schemas.js";
import {
  type EventType,
  type GatehouseEvent,
  parseGatehouseEvent,
  SIGNATURE_SCHEMES,
  verifyWebhook,
  verifyWebhookOrThrow,
  WebhookVerificationError,
} from "../../src/verify.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The modules a file loads at run time, read from what the compiler emits for it (type imports vanish). */
function runtimeImports(file: string): string[] {
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2023,
      verbatimModuleSyntax: true,
    },
    fileName: file,
  });
  // Static imports, re-exports and import() of the emitted JavaScript.
  return ts.preProcessFile(outputText, true, true).importedFiles.map((f) => f.fileName);
}

/** Every file and package reachable at run time from an entry file. */
function runtimeGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier);
    }
  };
  visit(resolve(ROOT, entry));
  return { files: [...files].map((f) => relative(ROOT, f)).sort(), packages: [...packages].sort() };
}

describe("gatehouse/verify at run time", () => {
  it("loads node:crypto and the signing modules, nothing of the server, zod, hono or undici", () => {
    const { files, packages } = runtimeGraph("src/verify.ts");
    expect(packages).toEqual(["node:crypto"]);
    expect(files).toContain("src/delivery/signing/standard.ts");
    for (const file of files) {
      expect(file === "src/verify.ts" || file.startsWith("src/delivery/signing/"), file).toBe(true);
    }
  });

  it("the import reader sees what it should: value imports count, type imports do not", () => {
    // A check that could never fail proves nothing: the modules the SDK takes its event types from load zod.
    expect(runtimeGraph("src/events/data/access.ts").packages).toContain("zod");
    expect(runtimeGraph("src/http/app.ts").packages).toEqual(
      expect.arrayContaining(["@hono/zod-openapi", "zod"]),
    );
    expect(runtimeImports(resolve(ROOT, "src/delivery/signing/kisi.ts"))).not.toContain("./index.js");
  });
});

const T = 1_767_225_600;
const BODY = '{"id":"e1","type":"door.held_open","data":{"door":{"id":1,"name":"Dock"},"open_for_s":31}}';

describe("verifyWebhook", () => {
  it("dispatches to each scheme's verifier", () => {
    for (const scheme of SIGNATURE_SCHEMES) {
      const headers = signatureHeaders(scheme, {
        msgId: "e1",
        timestampSec: T,
        attempt: 1,
        body: BODY,
        secrets: ["k"],
      });
      const now = () => T * 1000;
      expect(verifyWebhook({ scheme, body: BODY, headers, secret: "k", now }), scheme).toEqual({ ok: true });
      const wrong = verifyWebhook({ scheme, body: BODY, headers, secret: "x", now });
      // `none` signs nothing and checks nothing.
      expect(wrong.ok, scheme).toBe(scheme === "none");
    }
  });

  it("passes the tolerance and the clock on", () => {
    const headers = signatureHeaders("alocity", {
      msgId: "e1",
      timestampSec: T,
      attempt: 1,
      body: BODY,
      secrets: ["k"],
    });
    const late = {
      scheme: "alocity" as const,
      body: BODY,
      headers,
      secret: "k",
      now: () => (T + 400) * 1000,
    };
    expect(verifyWebhook(late)).toMatchObject({ ok: false, code: "timestamp_too_old" });
    expect(verifyWebhook({ ...late, toleranceSec: 500 })).toEqual({ ok: true });
    const basip = signatureHeaders("basip", {
      msgId: "e1",
      timestampSec: T,
      attempt: 1,
      body: BODY,
      secrets: ["k"],
    });
    expect(verifyWebhook({ ...late, scheme: "basip", headers: basip }).ok).toBe(true);
    expect(verifyWebhook({ ...late, scheme: "basip", headers: basip, toleranceSec: 300 }).ok).toBe(false);
  });

  it("has a throwing variant", () => {
    const input = { scheme: "kisi" as const, body: BODY, headers: {}, secret: "k" };
    expect(() => verifyWebhookOrThrow(input)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhookOrThrow(input)).toThrow("the X-Signature header is missing");
  });
});

describe("GatehouseEvent", () => {
  it("types data by event type, and narrows the union on type", () => {
    expectTypeOf<GatehouseEvent<"access.granted">["data"]>().toEqualTypeOf<AccessGrantedData>();
    expectTypeOf<GatehouseEvent<"audit.door.updated">["data"]["resource"]["type"]>().toEqualTypeOf<"door">();
    expectTypeOf<GatehouseEvent<"custom.badge_printed">["data"]>().toEqualTypeOf<Record<string, unknown>>();
    const event = parseGatehouseEvent(Buffer.from(BODY));
    expect(event.id).toBe("e1");
    if (event.type === "door.held_open") {
      expectTypeOf(event.data).toEqualTypeOf<DoorHeldOpenData>();
      expect(event.data.door.name).toBe("Dock");
    } else {
      expect.unreachable("the body is a door.held_open event");
    }
  });

  it("knows every type of the catalog, and no other", () => {
    // `satisfies` makes the compiler check this list against EventType both ways (audit.* come from the
    // same resource and action lists as the catalog's).
    const listed = {
      "access.granted": 1,
      "access.denied": 1,
      "door.opened": 1,
      "door.closed": 1,
      "door.forced_open": 1,
      "door.held_open": 1,
      "door.secured": 1,
      "door.mode_changed": 1,
      "lock.unlocked": 1,
      "lock.locked": 1,
      "lock.emergency_unlocked": 1,
      "lock.unlocked_too_long": 1,
      "device.healthcheck": 1,
      "device.connected": 1,
      "device.disconnected": 1,
      "device.booted": 1,
      "device.tamper": 1,
      "device.sip_registration_lost": 1,
      "device.input_changed": 1,
      "device.output_changed": 1,
      "call.incoming": 1,
      "call.outgoing": 1,
      "call.missed": 1,
      "call.outgoing_web": 1,
      "lift.call_succeeded": 1,
      "lift.call_failed": 1,
      "lift.access_denied": 1,
      "lift.bond_requested": 1,
      "login.succeeded": 1,
      "login.failed": 1,
      "credential.created": 1,
      "credential.updated": 1,
      "credential.deleted": 1,
      "credential.face_enrolled": 1,
      "credential.face_updated": 1,
      "credential.face_removed": 1,
      "alarm.triggered": 1,
      "alarm.acknowledged": 1,
      "alarm.cleared": 1,
      "schedule.activated": 1,
      "schedule.deactivated": 1,
      "webhook.test": 1,
      "webhook.disabled": 1,
    } satisfies Record<Exclude<EventType, `audit.${string}`>, 1>;
    const catalog = EVENT_TYPES.map((t) => t.type).filter((t) => !t.startsWith("audit."));
    expect(Object.keys(listed).sort()).toEqual(catalog.sort());
  });
});
