// IVR menus as a small pure state machine (seed 000: "press 1 for John, 2 for
// Mary" sharing one number). The switch plays what it is told, collects keys
// for `timeoutSeconds`, and feeds back what happened: the digits pressed or a
// timeout. Invalid keys and timeouts are counted apart, each with its own
// prompt; past `maxRetries` of either the menu's fallback takes the call.
import type { Directory } from './directory.js';
import type { Destination, DigitKey, IvrMenu } from './routing.schemas.js';

export interface IvrState {
  menuId: string;
  invalid: number;
  timeouts: number;
}

export type IvrInput = { digits: string } | { timeout: true };

export type IvrAction =
  /** Play these prompts in order, then collect digits and call ivrNext with the state. */
  | { kind: 'play'; prompts: string[]; state: IvrState }
  /** Leave the menu for this destination (a nested menu is an ivr_menu destination). */
  | { kind: 'route'; destination: Destination }
  | { kind: 'hangup' };

const EXTENSION = /^[0-9]{2,6}$/;

/** Entering a menu: its greeting, no retries used. */
export function ivrStart(menu: IvrMenu): IvrAction {
  return { kind: 'play', prompts: [menu.greeting], state: { menuId: menu.id, invalid: 0, timeouts: 0 } };
}

/** What to do after the caller pressed keys, or pressed nothing in time. */
export function ivrNext(menu: IvrMenu, state: IvrState, input: IvrInput, directory: Directory): IvrAction {
  if ('timeout' in input) {
    return retried(menu, { ...state, timeouts: state.timeouts + 1 }, state.timeouts + 1, menu.timeoutPrompt);
  }
  const chosen = chosenDestination(menu, input.digits, directory);
  if (chosen) return { kind: 'route', destination: chosen };
  return retried(menu, { ...state, invalid: state.invalid + 1 }, state.invalid + 1, menu.invalidPrompt);
}

/** A single key with an option, or — when the menu allows it — an extension (subaccount or hunt group) of the menu's account. */
function chosenDestination(menu: IvrMenu, digits: string, directory: Directory): Destination | undefined {
  const option = digits.length === 1 ? menu.options[digits as DigitKey] : undefined;
  if (option) return option;
  if (!menu.allowExtensionDialing || !EXTENSION.test(digits)) return undefined;
  return directory.extensionDestination(menu.accountId, digits);
}

function retried(menu: IvrMenu, state: IvrState, count: number, prompt: string): IvrAction {
  if (count > menu.maxRetries) return menu.fallback ? { kind: 'route', destination: menu.fallback } : { kind: 'hangup' };
  return { kind: 'play', prompts: [prompt, menu.greeting], state };
}
