// Public surface of call flows: hunt groups, IVR menus and office-hours
// schedules (the API's CRUD and its checks), and the routing directory built
// from the database for the switch (loadDirectory, DirectoryCache).
export { DirectoryCache, type DirectoryCacheOptions, directorySnapshot, loadDirectory } from './directory.js';
export { HuntGroups } from './hunt-groups.js';
export { huntCursors, saveHuntCursor } from './hunt-group.repository.js';
export { IvrMenus } from './ivr-menus.js';
export { Schedules } from './schedules.js';
export { callFlowTargets } from './targets.js';
export * as huntGroupSchemas from './hunt-group.schemas.js';
export * as ivrMenuSchemas from './ivr-menu.schemas.js';
export * as scheduleSchemas from './schedule.schemas.js';
