import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validData } from "../support/event-data.js";
import { Receiver } from "../support/receiver.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("a delivery end to end", () => {
  let gh: TestServer;
  let rx: Receiver;
  beforeAll(async () => {
    gh = await startTestServer();
    rx = await Receiver.start();
  });
  afterAll(async () => {
    await gh.stop();
    await rx.close();
  });

  it("signs the gatehouse envelope so a Standard Webhooks library verifies it", async () => {
    const created = await gh.api("POST", "/v1/webhooks", { url: `${rx.url}/in`, event_types: ["door.*"] });
    expect(created.status).toBe(201);
    rx.secret = created.body.secret;
    expect(rx.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const posted = await gh.api("POST", "/v1/events", {
      type: "door.opened",
      site_id: 7,
      data: validData("door.opened"),
    });
    expect(posted.status).toBe(202);
    const [got] = await rx.waitForCount(1);
    expect(got?.verified).toBe(true);
    expect(got?.headers["webhook-id"]).toBe(posted.body.ids[0]);
    expect(got?.headers["content-type"]).toBe("application/json");
    expect(got?.headers["user-agent"]).toMatch(/^Gatehouse\/\d+\.\d+\.\d+/);
    expect(Object.keys(got?.json ?? {})).toEqual([
      "id",
      "type",
      "timestamp",
      "recorded_at",
      "site_id",
      "sequence",
      "data",
    ]);
    expect(got?.json).toMatchObject({
      type: "door.opened",
      site_id: 7,
      sequence: 1,
      data: validData("door.opened"),
    });
  });
});
