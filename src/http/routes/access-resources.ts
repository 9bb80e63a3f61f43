// The access-control core's resources, each served by the same five routes.
import { accessGroups } from "../../access/access-groups.js";
import { credentials } from "../../access/credentials.js";
import { devices } from "../../access/devices.js";
import { doors } from "../../access/doors.js";
import { holidays } from "../../access/holidays.js";
import { schedules } from "../../access/schedules.js";
import { sites } from "../../access/sites.js";
import { users } from "../../access/users.js";
import type { Services } from "../services.js";
import { resourceRoutes } from "./resources.js";

export function accessResourceRoutes(s: Services) {
  return [
    resourceRoutes(s, sites),
    resourceRoutes(s, doors),
    resourceRoutes(s, devices),
    resourceRoutes(s, users),
    resourceRoutes(s, credentials),
    resourceRoutes(s, accessGroups),
    resourceRoutes(s, schedules),
    resourceRoutes(s, holidays),
  ];
}
