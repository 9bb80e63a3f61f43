// The rules that tie a webhook's wire settings together, checked on create and on every change: a version the
// format has, a template when the format is `template`, and a template that parses and names known variables.
import { defaultPayloadVersion, PAYLOAD_VERSIONS, type PayloadFormat } from "../delivery/formats/index.js";
import { templateProblem } from "../delivery/formats/template.js";
import type { Webhook } from "../store/webhooks.js";

type WireSettings = Pick<
  Webhook,
  "payload_format" | "payload_version" | "template" | "template_content_type"
>;

/** The problem with the settings as a whole, worded like other validation messages; null when they fit. */
export function wireProblem(w: WireSettings): string | null {
  const versions = PAYLOAD_VERSIONS[w.payload_format];
  if (w.payload_version !== null && !versions.includes(w.payload_version)) {
    return `payload_version: the ${w.payload_format} format has version${versions.length > 1 ? "s" : ""} ${versions.join(", ")}`;
  }
  if (w.payload_format === "template" && (w.template === null || w.template.trim() === "")) {
    return "template: required when payload_format is template";
  }
  if (w.template !== null && w.template.trim() !== "") {
    const problem = templateProblem(w.template, w.template_content_type ?? "application/json");
    if (problem) return problem.startsWith("template") ? problem : `template: ${problem}`;
  }
  return null;
}

/** The version a webhook's deliveries use: its own, or the format's default. */
export function effectiveVersion(format: PayloadFormat, version: string | null): string {
  return version ?? defaultPayloadVersion(format);
}
