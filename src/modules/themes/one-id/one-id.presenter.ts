import type { Resource } from '../../catalog/index.js';
import { maskValue, type ReadRecord, type RecordValue } from '../../collection/index.js';
import type { MasterView, MatchTier, SourceLink, ThemeDefinition } from '../contracts.js';
import type { ResourceAccess, WithheldReason } from './one-id.policy.js';
import type { SubjectId } from './subject-id.js';

export type OneIdSubject = {
  theme: string;
  themeName: string;
  /** The master's key; null when it is not the subject's own id and the caller may not read the item that carries it. */
  masterKey: string | null;
  /** Only attributes whose surviving value came from an item the caller may read, masked as that item is. */
  attributes: Record<string, RecordValue>;
  provenance: Record<string, { resourceId: string; receivedAt: string }>;
};

export type OneIdRecord = { theme: string; resourceId: string; resourceCode: string; resourceName: string; tier: MatchTier; record: ReadRecord };

export type OneIdAnswer = {
  id: string;
  kind: 'CITIZEN_ID' | 'USCC';
  /** How the id was read: as carried, a 15-digit number upgraded, or an organisation code bridged to its USCC. */
  matchedBy: 'KEY' | 'LEGACY' | 'BRIDGE';
  subjects: OneIdSubject[];
  records: OneIdRecord[];
  withheld: { resourceId: string; resourceName: string; reason: WithheldReason }[];
};

export type ReadPart = { theme: ThemeDefinition; master: MasterView; links: SourceLink[] };

type Input = {
  subject: SubjectId;
  id: string;
  parts: ReadPart[];
  accessOf: Map<string, ResourceAccess>;
  entries: Map<string, Resource>;
  records: Map<string, ReadRecord | null>;
  memberIds: string[];
};

type Readable = Extract<ResourceAccess, { kind: 'read' }>;

/** The answer of a one-ID query: subjects (masters, attributes filtered and masked), member records, withheld resources. */
export function presentOneId(input: Input): OneIdAnswer {
  const { accessOf, entries } = input;
  const readable = (resourceId: string): Readable | null => {
    const a = accessOf.get(resourceId);
    return a?.kind === 'read' ? a : null;
  };
  const item = (resourceId: string, code: string) => entries.get(resourceId)?.items?.find((i) => i.code === code);

  const subjects: OneIdSubject[] = [];
  for (const { theme, master, links } of input.parts) {
    // A master shows only when the caller may read at least one of the records that made it.
    if (!links.some((l) => readable(l.resourceId))) continue;
    const attributes: Record<string, RecordValue> = {};
    const provenance: OneIdSubject['provenance'] = {};
    for (const [code, value] of Object.entries(master.attributes)) {
      const from = master.provenance[code];
      if (!from) continue;
      const a = readable(from.resourceId);
      const itemCode = theme.members.find((m) => m.resourceId === from.resourceId)?.attributes[code];
      if (!a || itemCode === undefined || !a.items.includes(itemCode)) continue;
      attributes[code] = a.access.masked ? (maskValue(item(from.resourceId, itemCode)?.maskingRule ?? null, value) as RecordValue) : value;
      provenance[code] = { resourceId: from.resourceId, receivedAt: from.receivedAt };
    }
    const ownKey = master.key === input.id;
    const keyReadable = theme.members.some((m) => readable(m.resourceId)?.items.includes(m.keyItem));
    subjects.push({ theme: theme.code, themeName: theme.name, masterKey: ownKey || keyReadable ? master.key : null, attributes, provenance });
  }

  const records: OneIdRecord[] = [];
  for (const { theme, links } of input.parts) {
    for (const l of links) {
      if (!readable(l.resourceId)) continue;
      const record = input.records.get(`${l.resourceId}\u0000${l.sourceKey}`);
      if (!record) continue;
      const r = entries.get(l.resourceId)!;
      records.push({ theme: theme.code, resourceId: r.id, resourceCode: r.code, resourceName: r.name, tier: l.tier, record });
    }
  }

  const withheld: OneIdAnswer['withheld'] = [];
  for (const resourceId of input.memberIds) {
    const a = accessOf.get(resourceId);
    if (a?.kind === 'withheld') withheld.push({ resourceId, resourceName: entries.get(resourceId)!.name, reason: a.reason });
  }

  const s = input.subject;
  return {
    id: input.id,
    kind: s.kind === 'CITIZEN_ID' ? 'CITIZEN_ID' : 'USCC',
    matchedBy: s.kind === 'ORG_CODE' ? 'BRIDGE' : s.kind === 'CITIZEN_ID' && s.legacy ? 'LEGACY' : 'KEY',
    subjects,
    records,
    withheld,
  };
}
