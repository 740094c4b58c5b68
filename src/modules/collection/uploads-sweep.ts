import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../storage/dialect.js';
import { createJobsRepository } from './jobs/jobs.repository.js';

/**
 * A file written to in the last minutes may be an upload still arriving (a CLI load next to the
 * server, a body not yet submitted as a job): it is left for a later sweep.
 */
const GRACE_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;
/** File paths per query: far under both dialects' parameter limits. */
const CHUNK = 500;

export type UploadSweepDeps = {
  db: Db;
  clock: Clock;
  dataDir: string;
  /** How long the input of a failed, cancelled or interrupted job stays for a look (KUAIJI_FAILED_INPUT_RETENTION_H). */
  failedRetentionMs: number;
  graceMs?: number;
};

export type SweepResult = { removed: number; kept: number };

/**
 * Keeps an uploaded input only while a job may still need it. In `<dataDir>/incoming/`:
 * - a queued or running job's input stays;
 * - a succeeded job's input goes (a process killed right after the commit never removed it);
 * - a failed, cancelled or interrupted job's input goes once it ended `failedRetentionMs` ago;
 * - a file no job refers to goes: a partial body (`.part`) left by a killed process, the earlier
 *   input of a batch sent again, an upload refused before its job was created.
 */
export async function sweepUploads(deps: UploadSweepDeps): Promise<SweepResult> {
  const dir = path.join(deps.dataDir, 'incoming');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { removed: 0, kept: 0 };
  }
  const files = names.map((n) => path.join(dir, n));
  const repo = createJobsRepository();
  const refs = new Map<string, { status: string; ended: string | null }[]>();
  for (let i = 0; i < files.length; i += CHUNK) {
    for (const j of await repo.withInputFiles(deps.db, files.slice(i, i + CHUNK))) {
      const list = refs.get(j.file_path!) ?? refs.set(j.file_path!, []).get(j.file_path!)!;
      list.push({ status: j.status, ended: j.finished_at ?? j.updated_at });
    }
  }
  const now = deps.clock.now().getTime();
  const grace = deps.graceMs ?? GRACE_MS;
  const out: SweepResult = { removed: 0, kept: 0 };
  for (const file of files) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    if (!stat.isFile()) continue;
    const jobs = refs.get(file) ?? [];
    let remove: boolean;
    if (jobs.some((j) => j.status === 'queued' || j.status === 'running')) remove = false;
    else if (jobs.length === 0) remove = now - stat.mtimeMs >= grace;
    else if (jobs.every((j) => j.status === 'succeeded')) remove = true;
    else remove = jobs.every((j) => j.status === 'succeeded' || (j.ended !== null && now - Date.parse(j.ended) >= deps.failedRetentionMs));
    if (remove) {
      fs.rmSync(file, { force: true });
      out.removed += 1;
    } else out.kept += 1;
  }
  return out;
}

/** The sweep at start-up, then hourly (a timer that never holds the process open). */
export function createUploadSweeper(deps: UploadSweepDeps) {
  let timer: NodeJS.Timeout | null = null;
  return {
    sweep: () => sweepUploads(deps),
    async start(): Promise<SweepResult> {
      timer ??= setInterval(() => void sweepUploads(deps).catch(() => undefined), HOUR_MS).unref();
      return sweepUploads(deps);
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
