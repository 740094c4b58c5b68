import { loadConfig } from '../../config.js';
import type { Command } from '../command.js';
import { loadDemoWithProgress } from './demo.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Migrate the database, create the first administrator if there is none, and serve the API.',
  usage: 'kuaiji serve [--demo]',
  help: [
    ['--demo', 'load the demo city (绍兴市) and its synthetic records first when the catalogue is empty'],
    'Environment: PORT, HOST, KUAIJI_DATA_DIR, KUAIJI_DATABASE_URL, KUAIJI_ADMIN_USERNAME,',
    'KUAIJI_ADMIN_TOKEN, KUAIJI_LOG_LEVEL, KUAIJI_BODY_LIMIT_MB, KUAIJI_UPLOAD_LIMIT_MB,',
    'KUAIJI_COLLECTION_WORKERS, KUAIJI_SERVE_PROCESSES, KUAIJI_REDIS_URL (see the README).',
  ],
  options: { demo: { type: 'boolean' } },
  async run(args) {
    const demo = args.values.demo === true;
    // Loaded on use: the HTTP app pulls in every module, which other commands do not need.
    const { start } = await import('../../main.js');
    await start(loadConfig(), {
      onReady: async (deps) => {
        if (demo) await loadDemoWithProgress(deps.services, { dataDir: deps.config.dataDir });
      },
    });
    // The server keeps the process alive until SIGINT/SIGTERM.
  },
};
