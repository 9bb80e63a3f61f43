// The template body format (KentixONE-style system variables). (Skeleton: filled in by the template work.)
import type { EventView } from "./event-view.js";
import type { RenderedBody } from "./index.js";

export const TEMPLATE_CONTENT_TYPES = ["application/json", "text/plain"] as const;
export type TemplateContentType = (typeof TEMPLATE_CONTENT_TYPES)[number];

/** A template's problems, for the API's 400; null when it is fine. */
export function templateProblem(source: string, contentType: TemplateContentType): string | null {
  return `templates are not implemented yet (${source.length} characters, ${contentType})`;
}

export function renderTemplate(
  source: string,
  contentType: TemplateContentType,
  event: EventView,
  custom: Record<string, unknown>,
): RenderedBody {
  throw new Error(
    `template format not implemented yet (${source.length}, ${contentType}, ${event.id}, ${Object.keys(custom)})`,
  );
}
