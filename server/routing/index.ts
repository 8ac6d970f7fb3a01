// Public surface of the routing feature: pure call-routing decisions over a
// directory snapshot — (caller, dialed, now) → route plan or reject — plus the
// hunt, IVR, office-hours and privacy rules the switch applies while a call runs.
export {
  type AccountEntry,
  type ConferenceSettings,
  Directory,
  type DirectorySnapshot,
  type NumberEntry,
  type SubaccountEntry,
} from './directory.js';
export {
  type CallerCountry,
  type PublicNumber,
  callerClass,
  dialString,
  e164FromCarrier,
  isEmergency,
  publicNumber,
} from './classify.js';
export { type CallContext, isReject, stepsFor } from './destinations.js';
export { type HuntContext, type HuntOrder, type HuntRound, huntOrder } from './hunt.js';
export { type IvrAction, type IvrInput, type IvrState, ivrNext, ivrStart } from './ivr.js';
export { type MenuError, destinationError, validateMenus } from './menu-validation.js';
export {
  ANONYMOUS_NAME,
  ANONYMOUS_NUMBER,
  type CallerId,
  type Identity,
  callerIdAfterPrivacy,
  callerIdAsIs,
} from './privacy.js';
export {
  REJECT_CAUSES,
  STEP_KINDS,
  type HuntStepRound,
  type HuntTarget,
  type Reject,
  type RejectCause,
  type RouteClass,
  type RoutePlan,
  type RouteResult,
  type Step,
  type StepKind,
  rejection,
} from './route-plan.js';
export { type RouteRequest, type SubaccountCaller, type TrunkCaller, routeCall } from './route.js';
export { localTime, scheduleOpen, scheduledDestination } from './schedule.js';
export * as routingSchemas from './routing.schemas.js';
export type {
  CallerIdPrivacy,
  Destination,
  DestinationKind,
  DigitKey,
  HuntGroup,
  HuntMember,
  HuntStrategy,
  IvrMenu,
  Schedule,
  WeeklyRange,
} from './routing.schemas.js';
