import { useEffect, useState } from 'react';

/** The path after '#' ('/' when empty): the pages of each app are hash routes, so the server answers one HTML file. */
export function useHashPath(): string {
  const read = () => window.location.hash.replace(/^#/, '') || '/';
  const [path, setPath] = useState(read);
  useEffect(() => {
    const onChange = () => setPath(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}
