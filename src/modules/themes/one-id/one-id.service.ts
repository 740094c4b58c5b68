import { createHash } from 'node:crypto';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader, Resource } from '../../catalog/index.js';
import { MAX_BATCH_KEYS, maskValue, type ReadRecord, type RecordReader } from '../../collection/index.js';
import type { MasterReader, MasterView, SourceLink, ThemeDefinition, ThemeSnapshot } from '../contracts.js';
import { oneIdPolicy, type OneIdCaller, type ResourceAccess } from './one-id.policy.js';
import { presentOneId, type OneIdAnswer, type ReadPart } from './one-id.presenter.js';
import { parseSubjectId, subjectText, type SubjectId } from './subject-id.js';

/**
 * Indexed master attributes that hold a subject's citizen ID or USCC in themes keyed by something
 * else (the e-licence theme's holder_code): masters are found by them too.
 */
export const SUBJECT_ATTRIBUTES = ['holder_code'] as const;
/** At most this many masters of one theme are found by a subject attribute (a person's licences). */
const MAX_PER_ATTRIBUTE = 200;

export type OneIdDeps = {
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  records: RecordReader;
  /** The masters, and every theme's definition (members, attribute mapping), cached by the reader. */
  masters: MasterReader;
};

/** What the audits keep of one query: the subject never in clear (masked and hashed), resources and row counts. */
export type OneIdSummary = {
  kind: SubjectId['kind'];
  /** The subject masked (a citizen ID keeps its first 6 and last 4 characters; a USCC, public, is kept). */
  subject: string;
  /** SHA-256 of the normalised id: finds an investigated person's queries without storing the number. */
  subjectHash: string;
  resources: { resourceId: string; rows: number; items: string[] }[];
  withheld: string[];
  rowCount: number;
};

const fits = (s: SubjectId, t: ThemeDefinition) => t.keyKind === 'SUBJECT' || (s.kind === 'CITIZEN_ID' ? t.keyKind === 'CITIZEN_ID' : t.keyKind === 'USCC');

export const subjectHash = (id: string) => createHash('sha256').update(`one-id:${id}`).digest('hex');

export function maskedSubject(s: SubjectId, resolved: string): string {
  return s.kind === 'CITIZEN_ID' ? String(maskValue('CITIZEN_ID', resolved)) : resolved;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * The one-ID query 一证通办 (issue 13, DOMAIN.md §9): the masters of the subject in every theme
 * whose key fits (and those naming it in a subject attribute), their crosswalk rows, and the
 * member records read through collection's record reader, one batched read per resource — only
 * what the caller may read (oneIdPolicy), masked as the reader masks.
 */
export function createOneIdService(deps: OneIdDeps) {
  /** The subject's masters and their crosswalk rows: keyed themes in one lookup (ADR 0033), subject attributes after. */
  async function findMasters(subject: SubjectId, snapshots: ThemeSnapshot[]) {
    const themes = snapshots.map((s) => s.definition);
    const found: { theme: ThemeDefinition; master: MasterView; links?: SourceLink[] }[] = [];
    const consulted: ThemeDefinition[] = [];
    const raw = subject.kind === 'ORG_CODE' ? subject.orgCode : subject.id;
    const keyed = snapshots.filter((t) => fits(subject, t.definition));
    const byKey = new Map((await deps.masters.findWithSources(keyed, raw)).map((f) => [f.themeCode, f]));
    for (const { definition: theme } of keyed) {
      consulted.push(theme);
      const hit = byKey.get(theme.code);
      if (hit) found.push({ theme, master: hit.master, links: hit.links });
    }
    // An organisation code: the USCC of the entity it bridged to names it in the other themes.
    let resolved = subject.kind === 'ORG_CODE' ? null : subject.id;
    if (subject.kind === 'ORG_CODE') resolved = found.find((f) => f.master.key.length === 18)?.master.key ?? null;
    if (resolved !== null) {
      for (const theme of themes.filter((t) => !consulted.includes(t))) {
        const attributes = theme.attributes.filter((a) => a.indexed && (SUBJECT_ATTRIBUTES as readonly string[]).includes(a.code));
        if (attributes.length === 0) continue;
        consulted.push(theme);
        for (const a of attributes) {
          for (const master of await deps.masters.findByAttribute(theme.code, a.code, resolved, MAX_PER_ATTRIBUTE)) found.push({ theme, master });
        }
      }
    }
    return { found, consulted, resolved };
  }

  /** Reads every readable resource's records once, keys batched (a resource may be a member of several themes). */
  async function readRecords(links: SourceLink[], accessOf: Map<string, ResourceAccess>, entries: Map<string, Resource>) {
    const byResource = new Map<string, Map<string, SourceLink>>();
    for (const l of links) {
      const a = accessOf.get(l.resourceId);
      if (a?.kind !== 'read') continue;
      let keys = byResource.get(l.resourceId);
      if (!keys) byResource.set(l.resourceId, (keys = new Map()));
      keys.set(l.sourceKey, l);
    }
    const records = new Map<string, ReadRecord | null>();
    for (const [resourceId, keys] of byResource) {
      const a = accessOf.get(resourceId) as Extract<ResourceAccess, { kind: 'read' }>;
      const r = entries.get(resourceId)!;
      const entry = { id: r.id, providerDepartmentId: r.providerDepartmentId, classified: r.classified, items: r.items ?? [] };
      for (const batch of chunks([...keys.values()], MAX_BATCH_KEYS)) {
        const got = await deps.records.getMany(
          entry,
          a.access,
          batch.map((l) => l.recordKey),
          { items: a.items },
        );
        batch.forEach((l, n) => records.set(`${resourceId}\u0000${l.sourceKey}`, got[n] ?? null));
      }
    }
    return records;
  }

  /** The answer for `caller` and what the audit keeps of it; VALIDATION_FAILED (params.id) for an id that is none. */
  async function query(caller: OneIdCaller, rawId: string): Promise<{ answer: OneIdAnswer; summary: OneIdSummary }> {
    const subject = parseSubjectId(rawId, deps.clock.now());
    const { found, consulted, resolved } = await findMasters(subject, await deps.masters.themes());
    const id = resolved ?? subjectText(subject);

    // Every member resource of the themes consulted: what the caller may read there does not depend on the subject.
    const memberIds = [...new Set(consulted.flatMap((t) => t.members.map((m) => m.resourceId)))];
    const entries = new Map((await deps.catalog.resources(memberIds, 'all')).map((r) => [r.id, r]));
    const accessOf = new Map<string, ResourceAccess>();
    for (const resourceId of memberIds) {
      const r = entries.get(resourceId);
      accessOf.set(resourceId, r ? await oneIdPolicy.resourceAccess(caller, r) : { kind: 'hidden' });
    }

    const sources = await Promise.all(found.map((f) => f.links ?? deps.masters.sources(f.master.id)));
    const links = sources.flat().filter((l) => l.masterId !== null && l.tier !== 'UNMATCHED');
    const records = await readRecords(links, accessOf, entries);

    const parts: ReadPart[] = found.map((f, n) => ({
      theme: f.theme,
      master: f.master,
      links: sources[n]!.filter((l) => l.masterId !== null && l.tier !== 'UNMATCHED'),
    }));
    const answer = presentOneId({ subject, id, parts, accessOf, entries, records, memberIds });

    const rows = new Map<string, number>();
    for (const rec of answer.records) rows.set(rec.resourceId, (rows.get(rec.resourceId) ?? 0) + 1);
    const summary: OneIdSummary = {
      kind: subject.kind,
      subject: maskedSubject(subject, id),
      subjectHash: subjectHash(id),
      resources: [...rows].map(([resourceId, count]) => {
        const a = accessOf.get(resourceId) as Extract<ResourceAccess, { kind: 'read' }>;
        return { resourceId, rows: count, items: a.items };
      }),
      withheld: answer.withheld.map((w) => w.resourceId),
      rowCount: answer.records.length,
    };
    return { answer, summary };
  }

  return {
    query,

    /** Staff: `GET /api/v1/one-id/:id`; the read is audited with its purpose (one event for the whole answer). */
    async forStaff(actor: Actor, rawId: string, purpose: string): Promise<OneIdAnswer> {
      const { answer, summary } = await query({ kind: 'staff', actor }, rawId);
      await deps.auditor.read({
        actor,
        action: 'one-id.query',
        targetType: 'subject',
        targetId: summary.subjectHash,
        detail: { purpose, ...summary },
      });
      return answer;
    },
  };
}

export type OneIdService = ReturnType<typeof createOneIdService>;
