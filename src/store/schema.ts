// The tables as Kysely sees them. Times are epoch milliseconds; JSON columns hold serialised text.
import type { Generated, Insertable, Selectable } from "kysely";

export type Role = "admin" | "viewer" | "ingest";
export type WebhookStatus = "active" | "disabled";
export type DeliveryStatus = "pending" | "succeeded" | "failed";

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  role: Role;
  key_hash: string;
  key_prefix: string;
  created_at: number;
  last_used_at: number | null;
}

export interface WebhooksTable {
  uid: Generated<number>;
  name: string;
  url: string;
  secret: string;
  status: WebhookStatus;
  timeout: number;
  headers: string;
  description: string;
  event_types: string;
  max_retries: number;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface EventsTable {
  position: Generated<number>;
  id: string;
  type: string;
  site_id: number | null;
  sequence: number;
  timestamp: string;
  recorded_at: number;
  data: string;
}

export interface SiteSequencesTable {
  site_key: number;
  last_sequence: number;
}

export interface DeliveriesTable {
  id: Generated<number>;
  event_position: number;
  webhook_uid: number;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number;
  locked_until: number;
  locked_by: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempt_number: number;
  started_at: number;
  duration_ms: number;
  request_url: string;
  request_headers: string;
  request_body: string;
  response_status: number | null;
  response_headers: string | null;
  response_body: string | null;
  error: string | null;
  outcome: string;
}

export interface Database {
  api_keys: ApiKeysTable;
  webhooks: WebhooksTable;
  events: EventsTable;
  site_sequences: SiteSequencesTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
}

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type WebhookRow = Selectable<WebhooksTable>;
export type NewWebhookRow = Insertable<WebhooksTable>;
export type EventRow = Selectable<EventsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type DeliveryAttemptRow = Selectable<DeliveryAttemptsTable>;
