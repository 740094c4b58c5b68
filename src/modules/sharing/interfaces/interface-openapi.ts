import type { DataItem, DataType } from '../../catalog/index.js';
import { gatewayPath, type SharingInterface } from './interface-config.js';

type Schema = Record<string, unknown>;

/** A record value's JSON type as the record reader presents it (ADR 0007). */
const VALUE_SCHEMAS: Record<DataType, Schema> = {
  STRING: { type: 'string' },
  TEXT: { type: 'string' },
  INTEGER: { type: ['integer', 'string'], description: 'an integer; beyond ±2^53 its exact digits as a string' },
  DECIMAL: { type: 'string', description: 'the exact decimal as text' },
  DOUBLE: { type: 'number' },
  DATE: { type: 'string', format: 'date' },
  DATETIME: { type: 'string', description: 'YYYY-MM-DDTHH:MM:SS[.ffffff] (a wall-clock time)' },
  BOOLEAN: { type: 'boolean' },
  BINARY: { type: 'string', contentEncoding: 'base64' },
};

function itemSchema(item: Pick<DataItem, 'name' | 'dataType' | 'maskingRule'>): Schema {
  const masked = item.maskingRule && item.maskingRule !== 'NONE';
  const base = masked ? { type: 'string', description: `masked (${item.maskingRule})` } : VALUE_SCHEMAS[item.dataType];
  return { ...base, type: [...[base.type].flat(), 'null'], title: item.name };
}

const problem = {
  description: 'a problem (application/problem+json; `code` in docs/errors.md)',
  content: { 'application/problem+json': { schema: { type: 'object' } } },
};

const purposeHeader = {
  name: 'X-Purpose',
  in: 'header',
  required: true,
  description: 'why the data is needed (用途), UTF-8; URL-encoded allowed',
  schema: { type: 'string', minLength: 2, maxLength: 500 },
};

const errors = {
  '400': problem,
  '401': problem,
  '403': problem,
  '404': problem,
  '429': { ...problem, headers: { 'Retry-After': { schema: { type: 'integer' } } } },
};

/**
 * The OpenAPI 3.1 description of one interface: its gateway paths, the key items as parameters,
 * the records' items with their types. A consumer receives only the items its grant covers, so
 * every item is optional in the record schema.
 */
export function interfaceOpenApi(iface: SharingInterface, items: readonly Pick<DataItem, 'code' | 'name' | 'dataType' | 'maskingRule'>[]): Schema {
  const base = gatewayPath(iface);
  const info = { title: iface.name, version: iface.version, description: `Sharing interface ${iface.code} (${iface.kind}, ${iface.level})` };
  const security = [{ bearer: [] }, { signature: [] }];
  const components = {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'a short-lived token obtained with the consumer credentials' },
      signature: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'HMAC-SHA256 over method, path, query, timestamp and nonce' },
    },
  };
  if (iface.kind === 'UPSTREAM') {
    const op = {
      operationId: `${iface.code}_call`,
      summary: iface.name,
      parameters: [purposeHeader],
      ...(iface.config.method === 'POST' ? { requestBody: { content: { '*/*': { schema: {} } } } } : {}),
      responses: { '200': { description: "the upstream's answer, passed on" }, ...errors, '502': problem, '503': problem, '504': problem },
    };
    return { openapi: '3.1.0', info, security, components, paths: { [base]: { [iface.config.method.toLowerCase()]: op } } };
  }
  const byCode = new Map(items.map((i) => [i.code, i]));
  const record = {
    type: 'object',
    properties: {
      ...Object.fromEntries(items.map((i) => [i.code, itemSchema(i)])),
      _disputed: { type: 'boolean', const: true, description: 'the record is under an open objection (异议)' },
    },
    additionalProperties: false,
  };
  const param = (code: string, required: boolean) => {
    const item = byCode.get(code);
    return { name: code, in: 'query', required, description: item?.name, schema: item ? VALUE_SCHEMAS[item.dataType] : { type: 'string' } };
  };
  const json = (schema: Schema) => ({ description: 'success', content: { 'application/json': { schema } } });
  const itemsParam = {
    name: 'items',
    in: 'query',
    required: false,
    description: 'comma-separated item codes: a subset of the granted items',
    schema: { type: 'string' },
  };
  const keys = iface.config.keyItems;
  const paths: Record<string, Schema> = {
    [base]: {
      get: {
        operationId: `${iface.code}_lookup`,
        summary: `One record by its key (${keys.join(', ')})`,
        parameters: [purposeHeader, ...keys.map((k) => param(k, true)), itemsParam],
        responses: { '200': json({ type: 'object', properties: { data: { anyOf: [record, { type: 'null' }] } }, required: ['data'] }), ...errors },
      },
    },
    [`${base}/batch`]: {
      post: {
        operationId: `${iface.code}_batch`,
        summary: 'Up to 100 records by key, answered in the order asked (null where none)',
        parameters: [purposeHeader, itemsParam],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  keys: {
                    type: 'array',
                    maxItems: 100,
                    items: { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, param(k, true).schema])), required: keys },
                  },
                },
                required: ['keys'],
              },
            },
          },
        },
        responses: { '200': json({ type: 'object', properties: { data: { type: 'array', items: { anyOf: [record, { type: 'null' }] } } } }), ...errors },
      },
    },
    [`${base}/records`]: {
      get: {
        operationId: `${iface.code}_records`,
        summary: 'Records in key order, filtered on the declared items, a page at a time',
        parameters: [
          purposeHeader,
          ...iface.config.filterItems.map((f) => param(f, false)),
          itemsParam,
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'the nextCursor of the previous page' },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        ],
        responses: {
          '200': json({
            type: 'object',
            properties: { items: { type: 'array', items: record }, nextCursor: { type: ['string', 'null'] } },
            required: ['items', 'nextCursor'],
          }),
          ...errors,
        },
      },
    },
  };
  return { openapi: '3.1.0', info, security, components, paths };
}
