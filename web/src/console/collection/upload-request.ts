import { ApiError, session, withQuery, type Query } from '../../api/client';

/**
 * A file sent to the API with XMLHttpRequest rather than fetch: only XHR reports upload progress.
 * The body is the file itself (the API streams it), with the console's token; a problem+json
 * answer becomes an ApiError, as with every other call.
 */
export function sendFile<T>(path: string, query: Query, file: File, onProgress?: (sent: number, total: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(path, query));
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    const token = session.token();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError('INTERNAL', 0, 'network error'));
    xhr.onload = () => {
      let json: unknown = null;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        json = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json as T);
      else {
        const problem = (json ?? {}) as { code?: string; detail?: string };
        reject(new ApiError(problem.code ?? 'INTERNAL', xhr.status, problem.detail ?? xhr.statusText, problem));
      }
    };
    xhr.send(file);
  });
}

/** Downloads an authenticated file (the token cannot ride on a plain link) under the name given. */
export async function downloadWithToken(path: string, fileName: string): Promise<void> {
  const token = session.token();
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(problem.code ?? 'INTERNAL', res.status, problem.detail ?? res.statusText);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
