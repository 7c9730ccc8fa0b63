// The client's pages. The server sends index.html for each of these paths.
export type Route =
  | { view: 'home' }
  | { view: 'join'; code: string | null }
  | { view: 'new' }
  | { view: 'facilitate'; code: string }
  | { view: 'present'; code: string }
  | { view: 'not_found' };

export function route(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const code = parts[1] ? parts[1].toUpperCase().replace(/[\s-]/g, '') : null;
  switch (parts[0] ?? '') {
    case '':
      return { view: 'home' };
    case 'join':
      return { view: 'join', code };
    case 'new':
      return { view: 'new' };
    case 'facilitate':
      return code ? { view: 'facilitate', code } : { view: 'not_found' };
    case 'present':
      return code ? { view: 'present', code } : { view: 'not_found' };
    default:
      return { view: 'not_found' };
  }
}
