import type { Config } from '../config.js';
import { describeDatabase } from './context.js';

export type BannerInput = {
  config: Config;
  /** The first administrator's generated token when it was created just now (shown once), else null. */
  firstAdminToken: string | null;
  /** Whether the first administrator was created just now (with KUAIJI_ADMIN_TOKEN or a generated token). */
  firstAdminCreated: boolean;
};

/**
 * The server's first lines, in plain text for the person who started it: where it will listen,
 * where its files and database are, and where the administrator's token is (or how to get a new one).
 */
export function startupBanner({ config, firstAdminToken, firstAdminCreated }: BannerInput): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const dialect = config.databaseUrl.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL';
  const renew = `npx kuaiji user token --username ${config.adminUsername}`;
  const url = `http://${host}:${config.port}`;
  const lines = [
    '',
    'Kuaiji (会稽)',
    `  URL:        ${url}${host !== config.host ? ` (listening on ${config.host})` : ''}`,
    `  Portal:     ${url}/   Console: ${url}/console/ (log in with the admin token)   API reference: ${url}/api-docs/`,
    `  Data:       ${config.dataDir}`,
    `  Database:   ${dialect}, ${describeDatabase(config)}`,
  ];
  if (firstAdminToken) {
    lines.push(
      `  Admin:      first administrator '${config.adminUsername}' created. Its token, shown only this once:`,
      `                ${firstAdminToken}`,
      `              Store it safely. If it is lost: ${renew}`,
    );
  } else if (firstAdminCreated) {
    lines.push(`  Admin:      first administrator '${config.adminUsername}' created with the token in KUAIJI_ADMIN_TOKEN.`);
  } else {
    lines.push(
      `  Admin:      '${config.adminUsername}' token: printed once, at the first start (stored only as a hash).`,
      `              If it is lost: ${renew}`,
    );
  }
  lines.push('', '');
  return lines.join('\n');
}
