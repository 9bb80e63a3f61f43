// Payload formats: each webhook chooses which vendor's body its deliveries carry.
import type { StoredEvent } from "../../store/events.js";
import { renderAlocity } from "./alocity.js";
import { renderBasip } from "./basip.js";
import { type EventView, viewOf } from "./event-view.js";
import { renderGatehouseV1 } from "./gatehouse.js";
import { GENEA_VERSIONS, type GeneaVersion, renderGenea } from "./genea.js";
import { renderKisi } from "./kisi.js";
import { renderTemplate, type TemplateContentType } from "./template.js";

export const PAYLOAD_FORMATS = ["gatehouse", "kisi", "alocity", "basip", "genea", "template"] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

/** The versions a format has, oldest first. */
export const PAYLOAD_VERSIONS: Record<PayloadFormat, readonly string[]> = {
  gatehouse: ["1"],
  kisi: ["1"],
  alocity: ["1"],
  basip: ["1"],
  genea: GENEA_VERSIONS,
  template: ["1"],
};

/** The version a webhook gets when it names none: the format's newest. */
export function defaultPayloadVersion(format: PayloadFormat): string {
  const versions = PAYLOAD_VERSIONS[format];
  return versions[versions.length - 1] as string;
}

/** What of a webhook decides its body. */
export interface FormatSettings {
  payload_format: PayloadFormat;
  payload_version: string | null;
  template: string | null;
  template_content_type: TemplateContentType | null;
  /** Extra top-level fields for JSON bodies (Genea's custom body); the event's own fields win a clash. */
  custom_body: Record<string, unknown>;
}

export interface RenderedBody {
  body: string;
  contentType: string;
  /** The body is exactly the event's gatehouse v1 rendering, which the store can render again. */
  isEnvelope: boolean;
}

function mergeCustom(
  body: Record<string, unknown>,
  custom: Record<string, unknown>,
): Record<string, unknown> {
  return { ...custom, ...body };
}

const hasKeys = (o: Record<string, unknown>) => Object.keys(o).length > 0;

/** The body one delivery of the event carries under the webhook's format. */
export function renderBody(settings: FormatSettings, event: StoredEvent): RenderedBody {
  const custom = settings.custom_body;
  const json = (value: Record<string, unknown>): RenderedBody => ({
    body: JSON.stringify(hasKeys(custom) ? mergeCustom(value, custom) : value),
    contentType: "application/json",
    isEnvelope: false,
  });
  switch (settings.payload_format) {
    case "gatehouse": {
      if (!hasKeys(custom)) {
        return { body: renderGatehouseV1(event), contentType: "application/json", isEnvelope: true };
      }
      return json(JSON.parse(renderGatehouseV1(event)) as Record<string, unknown>);
    }
    case "kisi":
      return json(renderKisi(viewOf(event)));
    case "alocity":
      return json(renderAlocity(viewOf(event)));
    case "basip":
      return json(renderBasip(viewOf(event)));
    case "genea":
      return json(
        renderGenea(
          viewOf(event),
          (settings.payload_version ?? defaultPayloadVersion("genea")) as GeneaVersion,
        ),
      );
    case "template":
      return renderTemplate(
        settings.template ?? "",
        settings.template_content_type ?? "application/json",
        viewOf(event),
        custom,
      );
  }
}

export type { EventView };
