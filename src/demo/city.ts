import { DEMO_DEPARTMENTS, DEMO_REGIONS } from './organisation.js';
import { BASE_RESOURCES } from './resources-base.js';
import { DEPARTMENTAL_RESOURCES } from './resources-departmental.js';
import { THEMATIC_RESOURCES } from './resources-thematic.js';
import { DEMO_SYSTEMS } from './systems.js';
import type { DemoUser } from './types.js';

/** Demo accounts: one department officer (market regulation) and one reviewer of the platform authority. */
export const DEMO_USERS: DemoUser[] = [
  { username: 'scjg-officer', displayName: '市场监管局数据专员', role: 'OFFICER', department: 'scjgj' },
  { username: 'dsj-reviewer', displayName: '大数据局审核员', role: 'REVIEWER' },
];

/** The demo accounts' console password (a demo only: anyone who reads this file knows it). */
export const DEMO_PASSWORD = 'shaoxing-demo-2026';

/** The whole demo city (绍兴市), as plain data; src/demo/load.ts writes it through the services. */
export const DEMO_CITY = {
  regions: DEMO_REGIONS,
  departments: DEMO_DEPARTMENTS,
  systems: DEMO_SYSTEMS,
  resources: [...BASE_RESOURCES, ...THEMATIC_RESOURCES, ...DEPARTMENTAL_RESOURCES],
  users: DEMO_USERS,
};
