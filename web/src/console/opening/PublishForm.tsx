import { useState, type FormEvent } from 'react';
import { get, send, type ResponseOf } from '../../api/client';
import type { Me } from '../../api/types';
import { ErrorBox } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';

const LICENCES = ['gov-open', 'CC-BY-4.0', 'CC0-1.0', 'ODbL-1.0'] as const;
type Summary = ResponseOf<'/api/v1/resources'>['items'][number];

/** Publishes a resource whose open type allows it (the API keeps only its open items, never L4, masks applied). */
export function PublishForm({ me, onPublished }: { me: Me; onPublished(): void }) {
  const { t } = useI18n();
  const [resourceId, setResourceId] = useState('');
  const [title, setTitle] = useState('');
  const [tags, setTags] = useState('');
  const [licenceId, setLicenceId] = useState<(typeof LICENCES)[number]>('gov-open');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const candidates = useApi(async () => {
    const department = me.role === 'OFFICER' ? (me.departmentId ?? undefined) : undefined;
    const all: Summary[] = [];
    for (const openType of ['UNCONDITIONAL', 'RESTRICTED']) {
      const page = await get('/api/v1/resources', { query: { limit: 500, openType, providerDepartmentId: department } });
      all.push(...page.items);
    }
    return all;
  }, [me.id]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const d = await send('post', '/api/v1/open/datasets', {
        body: {
          resourceId,
          title: title.trim() || undefined,
          licenceId,
          tags: tags
            .split(/[,，]/)
            .map((x) => x.trim())
            .filter(Boolean),
        },
      });
      setDone(d.title);
      setResourceId('');
      setTitle('');
      setTags('');
      onPublished();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel publish" onSubmit={(e) => void submit(e)}>
      <h2>{t('opening.publish')}</h2>
      <label htmlFor="publish-resource">{t('jobs.resource')}</label>
      <select id="publish-resource" value={resourceId} required onChange={(e) => setResourceId(e.target.value)}>
        <option value="">{t('opening.chooseResource')}</option>
        {candidates.data?.map((r) => (
          <option key={r.id} value={r.id}>
            {r.code} {r.name}
          </option>
        ))}
      </select>
      <label htmlFor="publish-title">{t('opening.datasetTitle')}</label>
      <input id="publish-title" value={title} placeholder={t('opening.titleDefault')} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor="publish-tags">{t('open.tags')}</label>
      <input id="publish-tags" value={tags} placeholder={t('opening.tagsHelp')} onChange={(e) => setTags(e.target.value)} />
      <label htmlFor="publish-licence">{t('open.licence')}</label>
      <select id="publish-licence" value={licenceId} onChange={(e) => setLicenceId(e.target.value as typeof licenceId)}>
        {LICENCES.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <div className="actions">
        <button type="submit">{t('opening.publishSubmit')}</button>
      </div>
      {done && (
        <p role="status" className="muted">
          {t('opening.publishedOne', { title: done })}
        </p>
      )}
      <ErrorBox error={error ?? candidates.error} />
    </form>
  );
}
