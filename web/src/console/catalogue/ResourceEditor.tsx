import { useState, type FormEvent, type ReactNode } from 'react';
import { send } from '../../api/client';
import type { Codes, Me, Resource } from '../../api/types';
import { loadCodes, loadDepartments } from '../../components/catalogue';
import { ErrorBox } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ITEM_FIELD_LABELS, labelOfPath, PROBLEM_CODE_KEYS, RESOURCE_FIELD_LABELS } from './field-labels';
import {
  bodyOf,
  bodyToSend,
  fieldProblems,
  newRow,
  numberOrNull,
  rowsOf,
  textOrNull,
  type FieldProblem,
  type ItemBody,
  type ItemRow,
  type ResourceBody,
} from './resource-form';
import './catalogue.css';

type Coded = Codes['shareTypes'][number];

/** Who may change a resource: the API's rule (administrators; an officer, their department's entries). */
export function canEditResource(me: Me, r: Pick<Resource, 'providerDepartmentId'>): boolean {
  return me.role === 'ADMIN' || (me.role === 'OFFICER' && me.departmentId !== null && me.departmentId === r.providerDepartmentId);
}

/**
 * Edits a catalogue entry and its data items (编目维护) with one PUT of the whole entry: the API
 * checks every catalogue rule and answers problem+json, whose problems are shown at their fields
 * (and all together above the form). Shown only to those the API lets change the entry.
 */
export function ResourceEditor({
  resource,
  me,
  savedVersion,
  onSaved,
}: {
  resource: Resource;
  me: Me;
  savedVersion: number | null;
  onSaved(version: number): void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!canEditResource(me, resource)) {
    return (
      <p className="muted small" data-testid="resource-edit-denied">
        {t('catalogueEdit.notAllowed')}
      </p>
    );
  }
  return (
    <section className="catalogue-edit" data-testid="resource-edit">
      <div className="upload-controls">
        {!open && (
          <button type="button" onClick={() => setOpen(true)}>
            {t('catalogueEdit.edit')}
          </button>
        )}
        {savedVersion !== null && !open && (
          <span role="status" data-testid="resource-saved">
            {t('catalogueEdit.saved', { version: savedVersion })}
          </span>
        )}
      </div>
      {open && <EditForm resource={resource} me={me} onCancel={() => setOpen(false)} onSaved={onSaved} />}
    </section>
  );
}

function EditForm({ resource, me, onCancel, onSaved }: { resource: Resource; me: Me; onCancel(): void; onSaved(version: number): void }) {
  const { t, label } = useI18n();
  const lists = useApi(() => Promise.all([loadCodes(), loadDepartments()]), []);
  const [codes, departments] = lists.data ?? [null, null];
  const [body, setBody] = useState<ResourceBody>(() => bodyOf(resource));
  const [rows, setRows] = useState<ItemRow[]>(() => rowsOf(resource));
  const [tagsText, setTagsText] = useState(resource.tags.join(', '));
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problems = fieldProblems(error);

  const set = <K extends keyof ResourceBody>(key: K, value: ResourceBody[K]) => setBody((b) => ({ ...b, [key]: value }));
  const setItem = (key: string, patch: Partial<ItemBody>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, item: { ...r.item, ...patch } } : r)));
  const problemsAt = (path: string) => problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`));
  const options = (list: Coded[] | undefined) =>
    list?.map((c) => (
      <option key={String(c.code)} value={String(c.code)}>
        {label(c)}
      </option>
    ));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await send('put', '/api/v1/resources/{id}', { params: { id: resource.id }, body: bodyToSend(body, rows, tagsText) });
      onSaved(saved.version);
    } catch (err) {
      setError(err);
      // Open the details of every item with a problem in a field they hold.
      const keys = fieldProblems(err).flatMap((p) => {
        const m = /^items\.(\d+)\.(\w+)/.exec(p.path);
        return m && DETAIL_FIELDS.includes(m[2]!) ? [rows[Number(m[1])]?.key ?? ''] : [];
      });
      if (keys.length) setExpanded((s) => new Set([...s, ...keys]));
    } finally {
      setBusy(false);
    }
  };

  /** A labelled resource field with its problems below it. */
  const field = (name: keyof ResourceBody & string, control: ReactNode) => (
    <div className="ce-field">
      <label htmlFor={`ce-${name}`}>{t(RESOURCE_FIELD_LABELS[name]!)}</label>
      {control}
      <Problems list={problemsAt(name)} />
    </div>
  );
  const text = (name: 'name' | 'nameEn' | 'formatType' | 'shareCondition' | 'notSharedBasis' | 'openCondition', multiline = false) =>
    field(
      name,
      multiline ? (
        <textarea id={`ce-${name}`} rows={2} value={body[name] ?? ''} onChange={(e) => set(name, e.target.value)} />
      ) : (
        <input id={`ce-${name}`} value={body[name] ?? ''} onChange={(e) => set(name, e.target.value)} />
      ),
    );
  const ownDepartmentOnly = me.role !== 'ADMIN';

  return (
    <form className="panel" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="ce-title" data-testid="resource-edit-form">
      <h3 id="ce-title">{t('catalogueEdit.title')}</h3>
      <ErrorBox error={lists.error} />
      {problems.length > 0 && (
        <div className="error" role="alert" data-testid="resource-edit-problems">
          <strong>{t('catalogueEdit.problems', { n: problems.length })}</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i} data-code={p.code}>
                {labelOfPath(p.path, t)}: {problemText(p, t)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {problems.length === 0 && <ErrorBox error={error} />}
      <div className="ce-grid">
        <div className="ce-field">
          <span className="ce-label">{t('field.resource.code')}</span>
          <span className="code">{body.code}</span>
          <Problems list={problemsAt('code')} />
        </div>
        {text('name')}
        {text('nameEn')}
        {field('summary', <textarea id="ce-summary" rows={3} value={body.summary} onChange={(e) => set('summary', e.target.value)} />)}
        {field(
          'providerDepartmentId',
          <select
            id="ce-providerDepartmentId"
            value={body.providerDepartmentId}
            disabled={ownDepartmentOnly}
            // The region follows a new provider department (the API defaults it to the department's).
            onChange={(e) => setBody((b) => ({ ...b, providerDepartmentId: e.target.value, regionCode: undefined }))}
          >
            {[...(departments?.values() ?? [])].map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>,
        )}
        {field(
          'formatCategory',
          <select id="ce-formatCategory" value={String(body.formatCategory)} onChange={(e) => set('formatCategory', Number(e.target.value))}>
            {options(codes?.formatCategories)}
          </select>,
        )}
        {text('formatType')}
        {field(
          'updateFrequency',
          <select
            id="ce-updateFrequency"
            value={body.updateFrequency}
            onChange={(e) => set('updateFrequency', e.target.value as ResourceBody['updateFrequency'])}
          >
            {options(codes?.updateFrequencies)}
          </select>,
        )}
        {field(
          'shareType',
          <select id="ce-shareType" value={body.shareType} onChange={(e) => set('shareType', e.target.value as ResourceBody['shareType'])}>
            {options(codes?.shareTypes)}
          </select>,
        )}
        {text('shareCondition', true)}
        {text('notSharedBasis', true)}
        <fieldset className="ce-field">
          <legend>{t('field.resource.shareModes')}</legend>
          {codes?.shareModes.map((m) => {
            const code = String(m.code) as NonNullable<ResourceBody['shareModes']>[number];
            const on = body.shareModes?.includes(code) ?? false;
            return (
              <label key={code} className="ce-check">
                <input
                  type="checkbox"
                  checked={on}
                  onChange={() => set('shareModes', on ? (body.shareModes ?? []).filter((x) => x !== code) : [...(body.shareModes ?? []), code])}
                />{' '}
                {label(m)}
              </label>
            );
          })}
          <Problems list={problemsAt('shareModes')} />
        </fieldset>
        {field(
          'openType',
          <select id="ce-openType" value={body.openType} onChange={(e) => set('openType', e.target.value as ResourceBody['openType'])}>
            {options(codes?.openTypes)}
          </select>,
        )}
        {text('openCondition', true)}
        {field(
          'openDomain',
          <select
            id="ce-openDomain"
            value={body.openDomain === null || body.openDomain === undefined ? '' : String(body.openDomain)}
            onChange={(e) => set('openDomain', numberOrNull(e.target.value))}
          >
            <option value="">{t('catalogueEdit.none')}</option>
            {options(codes?.openDomains)}
          </select>,
        )}
        {field(
          'sensitivity',
          <select id="ce-sensitivity" value={body.sensitivity} onChange={(e) => set('sensitivity', e.target.value as ResourceBody['sensitivity'])}>
            {options(codes?.sensitivityLevels)}
          </select>,
        )}
        {field(
          'importance',
          <select
            id="ce-importance"
            value={body.importance ?? 'GENERAL'}
            onChange={(e) => set('importance', e.target.value as NonNullable<ResourceBody['importance']>)}
          >
            {options(codes?.importanceLevels)}
          </select>,
        )}
        {field(
          'publishedOn',
          <input id="ce-publishedOn" type="date" value={body.publishedOn ?? ''} onChange={(e) => set('publishedOn', textOrNull(e.target.value))} />,
        )}
        {field('tags', <input id="ce-tags" value={tagsText} onChange={(e) => setTagsText(e.target.value)} />)}
        <div className="ce-field">
          <label className="ce-check">
            <input id="ce-classified" type="checkbox" checked={body.classified ?? false} onChange={(e) => set('classified', e.target.checked)} />{' '}
            {t('field.resource.classified')}
          </label>
          <Problems list={problemsAt('classified')} />
        </div>
      </div>

      <h4>{t('catalogueEdit.items', { n: rows.length })}</h4>
      <Problems list={problems.filter((p) => p.path === 'items')} />
      <div className="table-wrap">
        <table className="ce-items" data-testid="resource-edit-items">
          <thead>
            <tr>
              <th>#</th>
              {ROW_FIELDS.map((f) => (
                <th key={f}>{t(ITEM_FIELD_LABELS[f]!)}</th>
              ))}
              <th>{t('catalogueEdit.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const item = row.item;
              const path = (f: string) => `items.${index}.${f}`;
              const aria = (f: string) => t('catalogueEdit.itemField', { n: index + 1, field: t(ITEM_FIELD_LABELS[f]!) });
              const cell = (f: string, control: ReactNode) => (
                <td>
                  {control}
                  <Problems list={problemsAt(path(f))} />
                </td>
              );
              const isOpen = expanded.has(row.key);
              return [
                <tr key={row.key} data-testid="resource-edit-item">
                  <td>{index + 1}</td>
                  {cell('code', <input aria-label={aria('code')} size={14} value={item.code} onChange={(e) => setItem(row.key, { code: e.target.value })} />)}
                  {cell('name', <input aria-label={aria('name')} size={14} value={item.name} onChange={(e) => setItem(row.key, { name: e.target.value })} />)}
                  {cell(
                    'dataType',
                    <select
                      aria-label={aria('dataType')}
                      value={item.dataType}
                      onChange={(e) => setItem(row.key, { dataType: e.target.value as ItemBody['dataType'] })}
                    >
                      {options(codes?.dataTypes)}
                    </select>,
                  )}
                  {cell(
                    'length',
                    <input
                      aria-label={aria('length')}
                      type="number"
                      min={1}
                      className="ce-number"
                      value={item.length ?? ''}
                      onChange={(e) => setItem(row.key, { length: numberOrNull(e.target.value) })}
                    />,
                  )}
                  {cell(
                    'precision',
                    <input
                      aria-label={aria('precision')}
                      type="number"
                      min={0}
                      className="ce-number"
                      value={item.precision ?? ''}
                      onChange={(e) => setItem(row.key, { precision: numberOrNull(e.target.value) })}
                    />,
                  )}
                  {cell(
                    'primaryKey',
                    <input
                      aria-label={aria('primaryKey')}
                      type="checkbox"
                      checked={item.primaryKey ?? false}
                      // A primary key is never nullable: checking it clears "nullable" too.
                      onChange={(e) => setItem(row.key, e.target.checked ? { primaryKey: true, nullable: false } : { primaryKey: false })}
                    />,
                  )}
                  {cell(
                    'nullable',
                    <input
                      aria-label={aria('nullable')}
                      type="checkbox"
                      checked={item.nullable ?? !item.primaryKey}
                      onChange={(e) => setItem(row.key, { nullable: e.target.checked })}
                    />,
                  )}
                  {cell(
                    'shareType',
                    <select
                      aria-label={aria('shareType')}
                      value={item.shareType ?? body.shareType}
                      onChange={(e) => setItem(row.key, { shareType: e.target.value as ItemBody['shareType'] })}
                    >
                      {options(codes?.shareTypes)}
                    </select>,
                  )}
                  {cell(
                    'openType',
                    <select
                      aria-label={aria('openType')}
                      value={item.openType ?? body.openType}
                      onChange={(e) => setItem(row.key, { openType: e.target.value as ItemBody['openType'] })}
                    >
                      {options(codes?.openTypes)}
                    </select>,
                  )}
                  {cell(
                    'sensitivity',
                    <select
                      aria-label={aria('sensitivity')}
                      value={item.sensitivity ?? body.sensitivity}
                      onChange={(e) => setItem(row.key, { sensitivity: e.target.value as ItemBody['sensitivity'] })}
                    >
                      {options(codes?.sensitivityLevels)}
                    </select>,
                  )}
                  {cell(
                    'maskingRule',
                    <select
                      aria-label={aria('maskingRule')}
                      value={item.maskingRule ?? ''}
                      onChange={(e) =>
                        setItem(row.key, { maskingRule: e.target.value === '' ? null : (e.target.value as NonNullable<ItemBody['maskingRule']>) })
                      }
                    >
                      <option value="">{t('catalogueEdit.none')}</option>
                      {options(codes?.maskingRules)}
                    </select>,
                  )}
                  <td className="ce-actions">
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={isOpen}
                      onClick={() =>
                        setExpanded((s) => {
                          const next = new Set(s);
                          if (isOpen) next.delete(row.key);
                          else next.add(row.key);
                          return next;
                        })
                      }
                    >
                      {t(isOpen ? 'catalogueEdit.less' : 'catalogueEdit.more')}
                    </button>{' '}
                    <button
                      type="button"
                      className="link-button"
                      aria-label={t('catalogueEdit.removeItem', { n: index + 1 })}
                      onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}
                    >
                      {t('catalogueEdit.remove')}
                    </button>
                  </td>
                </tr>,
                isOpen && (
                  <tr key={`${row.key}-more`} className="ce-more">
                    <td />
                    <td colSpan={ROW_FIELDS.length + 1}>
                      <div className="ce-grid">
                        {DETAIL_FIELDS.map((f) => {
                          const id = `ce-${row.key}-${f}`;
                          const value = (item[f as keyof ItemBody] as string | null | undefined) ?? '';
                          return (
                            <div className="ce-field" key={f}>
                              <label htmlFor={id}>{aria(f)}</label>
                              <input id={id} value={value} onChange={(e) => setItem(row.key, { [f]: e.target.value } as Partial<ItemBody>)} />
                              <Problems list={problemsAt(path(f))} />
                            </div>
                          );
                        })}
                      </div>
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      </div>
      <div className="upload-controls">
        <button type="button" onClick={() => setRows((rs) => [...rs, newRow(body)])}>
          {t('catalogueEdit.addItem')}
        </button>
      </div>
      <div className="upload-controls ce-submit">
        <button type="submit" disabled={busy}>
          {t('catalogueEdit.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('catalogueEdit.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The item fields edited in the table row; the rest are in the row's details. */
const ROW_FIELDS = ['code', 'name', 'dataType', 'length', 'precision', 'primaryKey', 'nullable', 'shareType', 'openType', 'sensitivity', 'maskingRule'];
const DETAIL_FIELDS: string[] = ['nameEn', 'shareCondition', 'openCondition', 'description'] satisfies (keyof ItemBody)[];

function problemText(p: FieldProblem, t: (key: MessageKey) => string): string {
  return t(PROBLEM_CODE_KEYS[p.code] ?? 'validation.invalid');
}

/** The problems of one field, in the UI's language (the API's code kept as data-code). */
function Problems({ list }: { list: FieldProblem[] }) {
  const { t } = useI18n();
  if (!list.length) return null;
  return (
    <>
      {list.map((p, i) => (
        <div key={i} className="field-error" data-testid="field-error" data-path={p.path} data-code={p.code}>
          {problemText(p, t)}
        </div>
      ))}
    </>
  );
}
