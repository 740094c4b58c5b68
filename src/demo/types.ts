import type { z } from 'zod';
import type { DepartmentKind, SystemLevel, SystemStatus } from '../modules/catalog/codes.js';
import type { DataItemInput, ResourceInput } from '../modules/catalog/resources/resources.schemas.js';
import type { Role } from '../shared/actor.js';

/**
 * Shapes of the demo city's declarative data. Entries refer to each other by a short `key`
 * (e.g. 'scjgj') because database ids only exist once the loader has created them.
 */
export type DemoDepartment = {
  key: string;
  name: string;
  shortName: string;
  regionCode: string;
  kind: DepartmentKind;
  uscc: string;
  contactName: string;
  contactPhone: string;
};

export type DemoSystem = {
  key: string;
  name: string;
  department: string;
  level: SystemLevel;
  status: SystemStatus;
  connected: boolean;
  description: string;
  vendor?: string;
  launchedOn?: string;
};

/** A data item as the API accepts it (before defaults): share, open and sensitivity default to the resource's. */
export type DemoItem = z.input<typeof DataItemInput>;

/** A catalogue entry as the API accepts it, with the provider and source system given by key. */
export type DemoResource = Omit<z.input<typeof ResourceInput>, 'providerDepartmentId' | 'systemId' | 'items'> & {
  provider: string;
  system?: string;
  items: DemoItem[];
};

export type DemoUser = { username: string; displayName: string; role: Role; department?: string };
