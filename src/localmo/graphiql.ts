// GraphiQL at GET /graphql/v30, working offline: its assets are served from npm packages (graphiql 3's UMD
// build with React 18's UMD builds; GraphiQL 4+ and React 19 no longer ship browser bundles), never a CDN.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

export const GRAPHIQL_ASSET_PREFIX = '/graphql/v30/graphiql/';

const ASSETS: Record<string, { path: () => string; type: string }> = {
  'react.js': { path: () => join(packageDir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'react-dom.js': { path: () => join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.js': { path: () => join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.css': { path: () => join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css; charset=utf-8' },
};

const loaded = new Map<string, Promise<Buffer>>();

/** An asset by file name, or null. Read once, kept in memory. */
export async function graphiqlAsset(name: string): Promise<{ body: Buffer; type: string } | null> {
  const asset = ASSETS[name];
  if (!asset) return null;
  let body = loaded.get(name);
  if (!body) {
    body = readFile(asset.path());
    loaded.set(name, body);
    body.catch(() => loaded.delete(name));
  }
  return { body: await body, type: asset.type };
}

/** The page; with authentication on, paste `{"Authorization": "Bearer …"}` into GraphiQL's headers tab. */
export function graphiqlPage(authRequired: boolean): string {
  const hint = authRequired
    ? '# This local MO requires a token: POST client credentials to /auth/realms/mo/protocol/openid-connect/token\\n# and put {"Authorization": "Bearer <access_token>"} in the Headers tab.\\n'
    : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Local OS2MO GraphQL v30</title>
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  <link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}graphiql.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="${GRAPHIQL_ASSET_PREFIX}react.js"></script>
  <script src="${GRAPHIQL_ASSET_PREFIX}react-dom.js"></script>
  <script src="${GRAPHIQL_ASSET_PREFIX}graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: location.pathname.replace(/\\/$/, '') });
    const defaultQuery = "${hint}query {\\n  org_units(limit: 10) {\\n    objects { uuid current { user_key name parent_uuid validity { from to } } }\\n    page_info { next_cursor }\\n  }\\n}\\n";
    ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, { fetcher, defaultQuery }));
  </script>
</body>
</html>
`;
}
