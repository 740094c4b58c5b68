import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { DepartmentInput, DepartmentListQuery, DepartmentOut } from './departments.schemas.js';
import type { DepartmentsService } from './departments.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

export function departmentRoutes(departments: DepartmentsService): AnyRoute[] {
  const tag = 'catalog: departments';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/departments',
      operationId: 'listDepartments',
      summary: 'Provider departments',
      tag,
      auth: 'public',
      query: DepartmentListQuery,
      response: z.object({ items: z.array(DepartmentOut), nextCursor: z.string().nullable() }),
      handler: async ({ query }) => departments.list(query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/departments/:id',
      operationId: 'getDepartment',
      summary: 'One department',
      tag,
      auth: 'public',
      params: IdParams,
      response: DepartmentOut,
      handler: async ({ params }) => departments.get(params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/departments',
      operationId: 'createDepartment',
      summary: 'Add a department',
      tag,
      auth: 'user',
      body: DepartmentInput,
      response: DepartmentOut,
      successStatus: 201,
      handler: async ({ actor, body }) => departments.create(actor!, body),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/departments/:id',
      operationId: 'updateDepartment',
      summary: 'Replace a department',
      tag,
      auth: 'user',
      params: IdParams,
      body: DepartmentInput,
      response: DepartmentOut,
      handler: async ({ actor, params, body }) => departments.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/departments/:id',
      operationId: 'deleteDepartment',
      summary: 'Remove a department with no entries',
      tag,
      auth: 'user',
      params: IdParams,
      handler: async ({ actor, params }) => departments.remove(actor!, params.id),
    }),
  ];
}
