// The dispatcher's side of ingest's hand-off, recorded: what memory may take, and what it was given.
import type { Dispatcher } from "../../src/delivery/dispatcher.js";
import type { ClaimedDelivery } from "../../src/store/deliveries.js";

export class RecordingDispatcher {
  handedOff: ClaimedDelivery[] = [];
  reserved = 0;
  reserve(count: number): number {
    this.reserved += count;
    return count;
  }
  unreserve(count: number): void {
    this.reserved -= count;
  }
  handOff(deliveries: ClaimedDelivery[], reserved: number): void {
    this.reserved -= reserved;
    this.handedOff.push(...deliveries);
  }
  /** Typed as what Ingest takes: it calls these three methods only. */
  get asDispatcher(): Dispatcher {
    return this as unknown as Dispatcher;
  }
}
