// /accounts/{accountId}/hunt-groups, /ivr-menus, /schedules: the call flows a
// number (or an extension) leads to. Owners and admins manage them; a `user`
// login gets 403.
import {
  type HuntGroups,
  type IvrMenus,
  type Schedules,
  huntGroupSchemas as hunt,
  ivrMenuSchemas as ivr,
  scheduleSchemas as sched,
} from '../callflows/index.js';
import { crudRoutes } from './crud.js';

export function callFlowRoutes(deps: { huntGroups: HuntGroups; ivrMenus: IvrMenus; schedules: Schedules }) {
  return [
    ...crudRoutes({
      collection: 'hunt-groups',
      idParam: 'huntGroupId',
      noun: 'HuntGroup',
      plural: 'HuntGroups',
      service: deps.huntGroups,
      filter: hunt.huntGroupFilter,
      item: hunt.huntGroup,
      create: hunt.createHuntGroup,
      update: hunt.updateHuntGroup,
      summaries: {
        list: 'Hunt groups of the account',
        create: 'Add a hunt group: members ring all at once, in turn, round robin or at random',
        get: 'One hunt group',
        update: 'Change a hunt group (members replace the whole list)',
        delete: 'Remove a hunt group (refused while numbers or call flows route to it)',
      },
    }),
    ...crudRoutes({
      collection: 'ivr-menus',
      idParam: 'ivrMenuId',
      noun: 'IvrMenu',
      plural: 'IvrMenus',
      service: deps.ivrMenus,
      filter: ivr.ivrMenuFilter,
      item: ivr.ivrMenu,
      create: ivr.createIvrMenu,
      update: ivr.updateIvrMenu,
      summaries: {
        list: 'IVR menus of the account',
        create: 'Add an IVR menu ("press 1 for …"); refused when it would trap callers in a loop',
        get: 'One IVR menu',
        update: 'Change an IVR menu (options replace all keys)',
        delete: 'Remove an IVR menu (refused while numbers or call flows route to it)',
      },
    }),
    ...crudRoutes({
      collection: 'schedules',
      idParam: 'scheduleId',
      noun: 'Schedule',
      service: deps.schedules,
      filter: sched.scheduleFilter,
      item: sched.schedule,
      create: sched.createSchedule,
      update: sched.updateSchedule,
      summaries: {
        list: 'Office-hours schedules of the account',
        create: 'Add an office-hours schedule: weekly ranges in the account’s timezone, holidays, open and closed destinations',
        get: 'One schedule',
        update: 'Change a schedule (weekly replaces all ranges)',
        delete: 'Remove a schedule (refused while numbers or call flows route to it)',
      },
    }),
  ];
}
