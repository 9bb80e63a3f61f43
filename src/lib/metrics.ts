// Prometheus metrics: one registry per running server, so tests can run several side by side.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export class Metrics {
  readonly registry = new Registry();
  readonly eventsIngested = new Counter({
    name: "gatehouse_events_ingested_total",
    help: "Events accepted and committed, by whether they were new or a repeated id",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: "gatehouse_deliveries_total",
    help: "Delivery attempts by outcome (succeeded, retry, failed, gone)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly attemptDuration = new Histogram({
    name: "gatehouse_delivery_attempt_duration_seconds",
    help: "Time from sending a delivery request to its complete response or error",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: "gatehouse_deliveries_in_flight",
    help: "Delivery requests under way",
    registers: [this.registry],
  });
  readonly queued = new Gauge({
    name: "gatehouse_deliveries_queued_in_memory",
    help: "Deliveries claimed by this node and waiting for a free connection",
    registers: [this.registry],
  });
  readonly queueDepth: Gauge;

  constructor(pendingDeliveries: () => Promise<number>) {
    this.queueDepth = new Gauge({
      name: "gatehouse_delivery_queue_depth",
      help: "Deliveries pending in the store (due now or waiting for a retry)",
      registers: [this.registry],
      async collect() {
        this.set(await pendingDeliveries());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }
}
