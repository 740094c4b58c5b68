import { allRoutes, API_VERSION } from '../src/app.js';
import { buildServices } from '../src/deps.js';
import { buildOpenApi } from '../src/http/openapi.js';
import { openSqlite } from '../src/storage/sqlite.js';

/** The OpenAPI document as the running server serves it (routes need services only to exist). */
export async function openApiDocument() {
  const storage = openSqlite(':memory:');
  try {
    return buildOpenApi(allRoutes(buildServices(storage)), API_VERSION);
  } finally {
    await storage.close();
  }
}
