import { useEffect, useState, type ReactNode } from 'react';
import type { Me, Resource } from '../../api/types';
import { ResourceDetail } from '../../components/ResourceDetail';
import { EditionsPanel } from './EditionsPanel';
import { ResourceEditor } from './ResourceEditor';

/**
 * The console's resource page: the entry as the portal shows it, its editor (for those the API lets
 * change it), its changes across catalogue editions, then what other modules add (`children`).
 * A save reloads the entry, so what is shown is what the API stored.
 */
export function ResourcePage({ id, me, children }: { id: string; me: Me; children?: (r: Resource) => ReactNode }) {
  const [saved, setSaved] = useState<{ id: string; times: number; version: number } | null>(null);
  useEffect(() => setSaved((s) => (s && s.id === id ? s : null)), [id]);
  const times = saved?.id === id ? saved.times : 0;
  return (
    <ResourceDetail key={`${id}#${times}`} id={id} auth backHref="#/catalog">
      {(r) => (
        <>
          <ResourceEditor
            resource={r}
            me={me}
            savedVersion={saved?.id === id ? saved.version : null}
            onSaved={(version) => setSaved((s) => ({ id, times: (s?.id === id ? s.times : 0) + 1, version }))}
          />
          <EditionsPanel code={r.code} canPublish={false} />
          {children?.(r)}
        </>
      )}
    </ResourceDetail>
  );
}
