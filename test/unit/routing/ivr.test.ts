// IVR menus: the state machine's paths (keys, invalid keys, timeouts, retries,
// extension dialing, nested menus) and the checks the API makes before saving
// menus (destinations in another account, loops with no way out).
import { describe, expect, it } from 'vitest';
import {
  type Destination,
  type IvrAction,
  type IvrInput,
  type IvrMenu,
  type IvrState,
  ivrNext,
  ivrStart,
  validateMenus,
} from '../../../server/routing/index.js';
import { HUNT_GROUPS, IVR_MENUS, OFFICE, huntGroup, menu, sampleDirectory } from './sample-directory.js';

const directory = sampleDirectory();
const MAIN = menu();
const CONFERENCES = IVR_MENUS.find((m) => m.id === 'conferences') as IvrMenu;
const fresh: IvrState = { menuId: 'main', invalid: 0, timeouts: 0 };
const to = (destination: Destination): IvrAction => ({ kind: 'route', destination });
const replay = (prompt: string, state: IvrState): IvrAction => ({ kind: 'play', prompts: [prompt, 'main-greeting'], state });

describe('ivrNext', () => {
  it('starts with the greeting and no retries used', () => {
    expect(ivrStart(MAIN)).toEqual({ kind: 'play', prompts: ['main-greeting'], state: fresh });
  });

  it.each<[string, IvrMenu, IvrState, IvrInput, IvrAction]>([
    ['a key with an option routes there ("press 1 for John")', MAIN, fresh, { digits: '1' }, to({ kind: 'subaccount', id: 'alice' })],
    ['another key on the same number ("2 for Mary")', MAIN, fresh, { digits: '2' }, to({ kind: 'subaccount', id: 'bob' })],
    ['a key leading to a nested menu', MAIN, fresh, { digits: '3' }, to({ kind: 'ivr_menu', id: 'conferences' })],
    ['* in the nested menu goes back up', CONFERENCES, { ...fresh, menuId: 'conferences' }, { digits: '*' }, to({ kind: 'ivr_menu', id: 'main' })],
    ['an extension of the account, dialed directly', MAIN, fresh, { digits: '102' }, to({ kind: 'subaccount', id: 'bob' })],
    ['a conference subaccount’s extension, dialed directly', MAIN, fresh, { digits: '800' }, to({ kind: 'subaccount', id: 'board' })],
    ['an extension nobody has is an invalid entry', MAIN, fresh, { digits: '555' }, replay('main-invalid', { ...fresh, invalid: 1 })],
    ['an extension when the menu does not allow dialing them', menu({ allowExtensionDialing: false }), fresh, { digits: '102' }, replay('main-invalid', { ...fresh, invalid: 1 })],
    ['a key with no option plays the invalid prompt, then the greeting', MAIN, fresh, { digits: '9' }, replay('main-invalid', { ...fresh, invalid: 1 })],
    ['nothing pressed plays the timeout prompt, then the greeting', MAIN, fresh, { timeout: true }, replay('main-timeout', { ...fresh, timeouts: 1 })],
    ['invalid entries and timeouts are counted apart', MAIN, { ...fresh, invalid: 2 }, { timeout: true }, replay('main-timeout', { ...fresh, invalid: 2, timeouts: 1 })],
    ['the last invalid retry still replays', MAIN, { ...fresh, invalid: 1 }, { digits: '9' }, replay('main-invalid', { ...fresh, invalid: 2 })],
    ['past the invalid retries the fallback takes the call', MAIN, { ...fresh, invalid: 2 }, { digits: '9' }, to({ kind: 'subaccount', id: 'carol' })],
    ['past the timeout retries the fallback takes the call', MAIN, { ...fresh, timeouts: 2 }, { timeout: true }, to({ kind: 'subaccount', id: 'carol' })],
    ['no retries at all: the first miss goes to the fallback', menu({ maxRetries: 0 }), fresh, { digits: '9' }, to({ kind: 'subaccount', id: 'carol' })],
    ['past the retries with no fallback, hang up', menu({ fallback: null }), { ...fresh, timeouts: 2 }, { timeout: true }, { kind: 'hangup' }],
  ])('%s', (_name, m, state, input, action) => {
    expect(ivrNext(m, state, input, directory)).toEqual(action);
  });

  it('takes a hunt group’s extension, dialed directly, like a subaccount’s', () => {
    const withExtension = sampleDirectory({ huntGroups: [huntGroup({ extension: '600' }), ...HUNT_GROUPS.slice(1)] });
    expect(ivrNext(MAIN, fresh, { digits: '600' }, withExtension)).toEqual(to({ kind: 'hunt_group', id: 'sales' }));
  });

  it('walks a caller through a miss, a silence and a choice', () => {
    let action = ivrStart(MAIN);
    const inputs: IvrInput[] = [{ digits: '7' }, { timeout: true }, { digits: '2' }];
    const seen: string[] = [];
    for (const input of inputs) {
      if (action.kind !== 'play') break;
      seen.push(action.prompts.join(','));
      action = ivrNext(MAIN, action.state, input, directory);
    }
    expect(seen).toEqual(['main-greeting', 'main-invalid,main-greeting', 'main-timeout,main-greeting']);
    expect(action).toEqual(to({ kind: 'subaccount', id: 'bob' }));
  });
});

describe('validateMenus', () => {
  const withOthers = sampleDirectory({
    huntGroups: [...HUNT_GROUPS, huntGroup({ id: 'support', accountId: 'globex', members: [{ kind: 'subaccount', id: 'gary' }] })],
    ivrMenus: [
      ...IVR_MENUS,
      menu({ id: 'globex-main', accountId: 'globex', options: {}, fallback: null }),
      menu({ id: 'existing', name: 'Existing', options: {}, fallback: { kind: 'ivr_menu', id: 'new' }, allowExtensionDialing: false }),
    ],
    schedules: [
      OFFICE,
      { ...OFFICE, id: 'nights', closed: { kind: 'ivr_menu', id: 'a' }, open: { kind: 'subaccount', id: 'alice' } },
      { ...OFFICE, id: 'globex-hours', accountId: 'globex' },
      { ...OFFICE, id: 'always-out', open: { kind: 'subaccount', id: 'alice' }, closed: { kind: 'subaccount', id: 'carol' } },
    ],
  });
  const m = (id: string, options: IvrMenu['options'], fallback: Destination | null, changes: Partial<IvrMenu> = {}) =>
    menu({ id, name: id.toUpperCase(), options, fallback, allowExtensionDialing: false, ...changes });
  const toMenu = (id: string): Destination => ({ kind: 'ivr_menu', id });

  it('accepts the sample menus', () => {
    expect(validateMenus(IVR_MENUS, 'acme', withOthers)).toEqual([]);
  });

  it.each<[string, Destination, string]>([
    ['a subaccount of another account', { kind: 'subaccount', id: 'gary' }, 'the subaccount belongs to another account'],
    ['a hunt group of another account', { kind: 'hunt_group', id: 'support' }, 'the hunt group belongs to another account'],
    ['a menu of another account', { kind: 'ivr_menu', id: 'globex-main' }, 'the ivr menu belongs to another account'],
    ['a schedule of another account', { kind: 'schedule', id: 'globex-hours' }, 'the schedule belongs to another account'],
    ['a conference of another account', { kind: 'conference', id: 'hank' }, 'the conference belongs to another account'],
    ['a subaccount that does not exist', { kind: 'subaccount', id: 'ghost' }, 'no such subaccount'],
    ['a phone subaccount as a conference', { kind: 'conference', id: 'alice' }, 'not a conference subaccount'],
  ])('refuses an option pointing at %s', (_name, destination, message) => {
    const errors = validateMenus([m('a', { '1': destination, '2': { kind: 'subaccount', id: 'alice' } }, null)], 'acme', withOthers);
    expect(errors).toEqual([{ menuId: 'a', field: 'options.1', message }]);
  });

  it('refuses a fallback pointing at another account', () => {
    expect(validateMenus([m('a', {}, { kind: 'hunt_group', id: 'support' })], 'acme', withOthers)).toContainEqual({
      menuId: 'a',
      field: 'fallback',
      message: 'the hunt group belongs to another account',
    });
  });

  it('refuses a menu saved under another account', () => {
    const errors = validateMenus([m('a', {}, null, { accountId: 'globex' })], 'acme', withOthers);
    expect(errors).toContainEqual({ menuId: 'a', field: 'accountId', message: 'the menu belongs to another account' });
  });

  it('accepts any phone number, on the system or not', () => {
    const options = { '1': { kind: 'number', e164: '+12125550100' }, '2': { kind: 'number', e164: '+33612345678' } } as const;
    expect(validateMenus([m('a', options, null)], 'acme', withOthers)).toEqual([]);
  });

  it.each<[string, IvrMenu[], string[]]>([
    ['two menus whose keys and fallbacks lead only to each other', [m('a', { '1': toMenu('b') }, toMenu('b')), m('b', { '1': toMenu('a') }, toMenu('a'))], ['a', 'b']],
    ['two menus pointing at each other that hang up after retries', [m('a', { '1': toMenu('b') }, null), m('b', { '1': toMenu('a') }, null)], ['a', 'b']],
    ['a menu whose only key repeats it', [m('a', { '9': toMenu('a') }, null)], ['a']],
    ['a menu leading into a loop it is not part of', [m('a', { '1': toMenu('b') }, null), m('b', { '1': toMenu('c') }, null), m('c', { '1': toMenu('b') }, null)], ['a', 'b', 'c']],
    ['a loop that a schedule closes at night', [m('a', { '1': { kind: 'schedule', id: 'nights' } }, toMenu('a'))], ['a']],
    ['a loop through a menu already saved', [m('new', {}, toMenu('existing'))], ['new']],
  ])('refuses %s', (_name, menus, trappedIds) => {
    const errors = validateMenus(menus, 'acme', withOthers);
    expect(errors.map((e) => e.menuId)).toEqual(trappedIds);
    expect(errors.every((e) => e.field === 'options' && e.message.startsWith('a loop of menus with no way out: '))).toBe(true);
  });

  it.each<[string, IvrMenu[]]>([
    ['two menus pointing at each other with a way out from one', [m('a', { '1': toMenu('b') }, toMenu('b')), m('b', { '1': toMenu('a'), '2': { kind: 'subaccount', id: 'alice' } }, null)]],
    ['a loop whose fallback reaches a hunt group', [m('a', { '1': toMenu('b') }, { kind: 'hunt_group', id: 'sales' }), m('b', { '1': toMenu('a') }, toMenu('a'))]],
    ['a loop a caller leaves by dialing an extension', [m('a', { '1': toMenu('b') }, toMenu('b'), { allowExtensionDialing: true }), m('b', { '1': toMenu('a') }, null)]],
    ['a lone announcement that hangs up', [m('a', {}, null)]],
    ['a menu leading to an announcement', [m('a', { '1': toMenu('b') }, toMenu('b')), m('b', {}, null)]],
    ['a schedule closing into an announcement', [m('a', { '1': { kind: 'schedule', id: 'office' } }, null)]],
    ['a schedule that leads out at every hour, behind a loop', [m('a', { '1': { kind: 'schedule', id: 'always-out' }, '2': toMenu('b') }, null), m('b', { '1': toMenu('a') }, toMenu('a'))]],
  ])('accepts %s', (_name, menus) => {
    expect(validateMenus(menus, 'acme', withOthers)).toEqual([]);
  });

  it.each<[string, IvrMenu[], string[], string]>([
    ['fallbacks that lead round in a circle though keys lead out', [m('a', { '1': { kind: 'subaccount', id: 'alice' } }, toMenu('b')), m('b', { '1': { kind: 'subaccount', id: 'bob' } }, toMenu('a'))], ['a', 'b'], 'A → B → A'],
    ['a fallback to the menu itself', [m('a', { '1': { kind: 'subaccount', id: 'alice' } }, toMenu('a'))], ['a'], 'A → A'],
    ['a fallback circle a schedule closes at night', [m('a', { '1': { kind: 'subaccount', id: 'alice' } }, { kind: 'schedule', id: 'nights' })], ['a'], 'A → A'],
  ])('refuses %s: a silent caller would never leave', (_name, menus, ids, circle) => {
    const errors = validateMenus(menus, 'acme', withOthers);
    expect(errors.map((e) => e.menuId)).toEqual(ids);
    expect(errors[0]).toMatchObject({ field: 'fallback', message: `a caller who presses nothing goes round for ever: ${circle}` });
  });

  it('names the menus of the loop', () => {
    const errors = validateMenus([m('a', { '1': toMenu('b') }, toMenu('b')), m('b', { '1': toMenu('a') }, toMenu('a'))], 'acme', withOthers);
    expect(errors[0]?.message).toBe('a loop of menus with no way out: A → B');
  });
});
