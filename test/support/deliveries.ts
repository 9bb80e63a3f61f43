// Asking the store, through the API, whether a webhook's deliveries have all settled successfully.
import { expect } from "vitest";
import { apiCall } from "./server.js";
import { waitFor } from "./wait.js";

/** Waits until the webhook has nothing pending, then checks nothing was given up on. */
export async function expectAllDelivered(baseUrl: string, uid: number, timeoutMs = 10_000): Promise<void> {
  await waitFor(
    async () => {
      const pending = await apiCall(baseUrl, "GET", `/v1/webhooks/${uid}/deliveries?status=pending&limit=1`);
      return pending.status === 200 && pending.body.deliveries.length === 0;
    },
    { timeoutMs, what: "no pending deliveries left" },
  );
  const failed = await apiCall(baseUrl, "GET", `/v1/webhooks/${uid}/deliveries?status=failed&limit=10`);
  expect(failed.status).toBe(200);
  expect(failed.body.deliveries).toEqual([]);
}
