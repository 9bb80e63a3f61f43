// The `data` of device.*, call.*, lift.* and login.* events: controllers, readers and intercoms themselves.
import { z } from "zod";
import { SerialNumber, UserRef } from "./refs.js";

export const DeviceHealthcheckData = z
  .looseObject({
    serial_number: SerialNumber,
    firmware_version: z.string().describe("The firmware the device runs"),
    database_active: z.boolean().describe("Whether the device's local credential database is in use"),
    connected: z.boolean().describe("Whether the device is connected to its controller or the cloud"),
    ip_address: z.string().describe("The device's IP address; empty when it has none"),
  })
  .describe("A device's health report");
export type DeviceHealthcheckData = z.infer<typeof DeviceHealthcheckData>;

/** device.connected, device.disconnected and device.sip_registration_lost: which device is all there is. */
export const DeviceOnlyData = z.looseObject({ serial_number: SerialNumber }).describe("The device");
export type DeviceOnlyData = z.infer<typeof DeviceOnlyData>;
export type DeviceConnectedData = DeviceOnlyData;
export type DeviceDisconnectedData = DeviceOnlyData;
export type DeviceSipRegistrationLostData = DeviceOnlyData;

export const DeviceBootedData = z
  .looseObject({
    serial_number: SerialNumber,
    firmware_version: z.string().describe("The firmware it started"),
  })
  .describe("A device that started up");
export type DeviceBootedData = z.infer<typeof DeviceBootedData>;

export const DeviceTamperData = z
  .looseObject({
    serial_number: SerialNumber,
    input: z.string().describe("The tamper input that was triggered"),
  })
  .describe("A device's tamper alarm");
export type DeviceTamperData = z.infer<typeof DeviceTamperData>;

/** device.input_changed and device.output_changed. */
export const DevicePointData = z
  .looseObject({
    // Optional: panels such as Genea's name monitor and control points without the device behind them.
    serial_number: SerialNumber.optional(),
    point: z.string().describe("The input or output point's name"),
    state: z.string().describe("Its new state, as the device names it (e.g. active, inactive, fault)"),
  })
  .describe("A monitored input or control output's new state");
export type DevicePointData = z.infer<typeof DevicePointData>;
export type DeviceInputChangedData = DevicePointData;
export type DeviceOutputChangedData = DevicePointData;

/** call.incoming, call.outgoing, call.missed and call.outgoing_web. */
export const CallData = z
  .looseObject({
    serial_number: SerialNumber.describe("The intercom's serial number"),
    from: z.string().optional().describe("Who called: a SIP address, number or apartment"),
    to: z.string().optional().describe("Who was called: a SIP address, number or apartment"),
    apartment: z.string().optional().describe("The apartment the call was for, when it was for one"),
  })
  .describe("An intercom call");
export type CallData = z.infer<typeof CallData>;
export type CallIncomingData = CallData;
export type CallOutgoingData = CallData;
export type CallMissedData = CallData;
export type CallOutgoingWebData = CallData;

/** lift.call_succeeded, lift.call_failed, lift.access_denied and lift.bond_requested. */
export const LiftData = z
  .looseObject({
    serial_number: SerialNumber.describe("The lift module's or the requesting device's serial number"),
    floor: z.string().optional().describe("The floor asked for"),
    user: UserRef.nullable().optional().describe("Who asked, when known"),
    reason: z.string().optional().describe("Why the call failed or was refused"),
  })
  .describe("A lift call or lift module request");
export type LiftData = z.infer<typeof LiftData>;
export type LiftCallSucceededData = LiftData;
export type LiftCallFailedData = LiftData;
export type LiftAccessDeniedData = LiftData;
export type LiftBondRequestedData = LiftData;

/** login.succeeded and login.failed. */
export const LoginData = z
  .looseObject({
    channel: z.enum(["api", "gui"]).describe("Where: the API, or the settings GUI"),
    principal: z.string().describe("The login name given; never the password"),
    serial_number: SerialNumber.optional().describe("The device logged in to; absent for the system itself"),
  })
  .describe("A login attempt");
export type LoginData = z.infer<typeof LoginData>;
export type LoginSucceededData = LoginData;
export type LoginFailedData = LoginData;
