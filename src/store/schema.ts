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
  signature_scheme: Generated<string>;
  payload_format: Generated<string>;
  payload_version: string | null;
  template: string | null;
  template_content_type: string | null;
  /** JSON object text. */
  custom_body: Generated<string>;
  /** JSON object text. */
  filters: Generated<string>;
  /** JSON text of the static Authorization setting (a secret), or null. */
  authorization: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
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

export interface SettingsTable {
  key: string;
  value: string;
}

interface Stamped {
  created_at: number;
  updated_at: number;
}

export interface SitesTable extends Stamped {
  id: Generated<number>;
  name: string;
  time_zone: string;
}

export interface SchedulesTable extends Stamped {
  id: Generated<number>;
  site_id: number;
  name: string;
  /** JSON: ScheduleWindow[] */
  windows: string;
  /** Open at the last check (1/0); null before the first, which records the state without an event. */
  active: number | null;
  /** When the sweeper looks at it next (schedules are minute-grained: the next minute). */
  check_at: number | null;
}

export interface HolidaysTable extends Stamped {
  id: Generated<number>;
  site_id: number;
  name: string;
  date: string;
  all_day: number;
  start: string | null;
  end: string | null;
}

export interface DoorsTable extends Stamped {
  id: Generated<number>;
  site_id: number;
  name: string;
  mode: string;
  requires_pin: number;
  unlock_duration_s: number;
  held_open_threshold_s: number;
  area_id: string | null;
  area_direction: string | null;
  reader_name: string;
  lock_name: string;
  sensor_name: string;
}

export interface DoorStatesTable {
  door_id: number;
  /** JSON: core/door-state DoorState */
  state: string;
  due_at: number | null;
  updated_at: number;
}

export interface DevicesTable extends Stamped {
  id: Generated<number>;
  site_id: number;
  serial_number: string;
  name: string;
  kind: string;
  door_id: number | null;
  firmware_version: string;
  ip_address: string;
  heartbeat_timeout_s: number;
  connected: number;
  last_seen_at: number | null;
  liveness_due_at: number | null;
}

export interface UsersTable extends Stamped {
  id: Generated<number>;
  name: string;
  email: string | null;
  status: string;
  valid_from: number | null;
  valid_until: number | null;
}

export interface CredentialsTable extends Stamped {
  id: Generated<number>;
  user_id: number | null;
  kind: string;
  status: string;
  lookup: string;
  facility_code: number | null;
  card_number: string | null;
  value: string | null;
  valid_from: number | null;
  valid_until: number | null;
}

export interface AccessGroupsTable extends Stamped {
  id: Generated<number>;
  site_id: number;
  name: string;
  schedule_id: number;
}

export interface AccessGroupDoorsTable {
  group_id: number;
  door_id: number;
}

export interface UserGroupsTable {
  user_id: number;
  group_id: number;
}

export interface AntiPassbackTable {
  user_id: number;
  area_id: string;
  direction: string;
  at: number;
}

export interface Database {
  settings: SettingsTable;
  sites: SitesTable;
  schedules: SchedulesTable;
  holidays: HolidaysTable;
  doors: DoorsTable;
  door_states: DoorStatesTable;
  devices: DevicesTable;
  users: UsersTable;
  credentials: CredentialsTable;
  access_groups: AccessGroupsTable;
  access_group_doors: AccessGroupDoorsTable;
  user_groups: UserGroupsTable;
  anti_passback: AntiPassbackTable;
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
