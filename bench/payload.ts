// Bench payloads: about 1 KB of access-control event data, with the send time embedded for latency.

/** The data field the receiver reads the send time from (wall-clock ms, see clock.ts). */
export const SENT_AT_FIELD = "bench_sent_at";
export const DATA_BYTES = 1024;
export const EVENT_TYPE = "access.granted";
export const SITES = 8;

function baseData(seq: number, sentAt: number, note: string): Record<string, unknown> {
  return {
    [SENT_AT_FIELD]: sentAt,
    bench_seq: seq,
    // Valid access.granted data (see src/events/data/access.ts), plus the extra fields devices add.
    door: { id: 1000 + (seq % 97), name: "Loading dock, north entrance", zone: "warehouse-b" },
    reader: { name: "Loading dock, outside", serial: "RDR-7F3A-21C9-0042", direction: "in" },
    user: { id: 200_000 + (seq % 5003), name: "Jordan Example", email: "jordan.example@example.com" },
    credential: { id: 900_000 + (seq % 7919), kind: "mobile", masked: "****0042", format: "26-bit wiegand" },
    method: "mobile",
    note,
  };
}

// The padding that brings a typical event's data to about DATA_BYTES of JSON, computed once.
const padding = "x".repeat(
  Math.max(0, DATA_BYTES - JSON.stringify(baseData(12345, 1_763_900_000_000.123, "")).length),
);

/** An event's `data`: about 1 KB of JSON; `sentAt` 0 means "not timed". */
export function eventData(seq: number, sentAt: number): Record<string, unknown> {
  return baseData(seq, sentAt, padding);
}

export function siteFor(seq: number): number {
  return (seq % SITES) + 1;
}
