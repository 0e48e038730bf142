/**
 * The API reference page at `/docs`: a self-contained HTML page (no CDN, no external fonts) whose
 * script and styles are served from the same origin (`/docs/app.js`, `/docs/app.css`), so it
 * works under a Content-Security-Policy of `'self'` with no inline script or style. The script
 * fetches `/v1/openapi.json` and renders every operation with its parameters, request body and
 * responses, schemas shown as formatted JSON with `$ref`s resolved. It builds the page with DOM
 * calls and `textContent` only, never HTML strings, so nothing in the document can inject markup.
 */

/** Paths of the page and its assets. */
export const DOCS_PATHS = {
  page: '/docs',
  script: '/docs/app.js',
  styles: '/docs/app.css',
  openapi: '/v1/openapi.json',
} as const;

/** The page. */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agent server API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${DOCS_PATHS.styles}">
<script src="${DOCS_PATHS.script}" defer></script>
</head>
<body>
<header>
<h1 id="title">Agent server API</h1>
<p id="summary">Loading <a href="${DOCS_PATHS.openapi}">${DOCS_PATHS.openapi}</a>…</p>
<input id="filter" type="search" placeholder="Filter operations (path, summary, tag)" aria-label="Filter operations">
</header>
<main id="operations" aria-live="polite"></main>
<noscript>This page needs JavaScript. The raw document is at <a href="${DOCS_PATHS.openapi}">${DOCS_PATHS.openapi}</a>.</noscript>
</body>
</html>
`;

/** The page's styles. */
export const DOCS_CSS = `:root { color-scheme: light dark; --muted: #6b7280; --line: #d1d5db; --code: rgba(127,127,127,.12); }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 4rem; }
header { border-bottom: 1px solid var(--line); margin-bottom: 1rem; padding-bottom: 1rem; }
h1 { margin: .2rem 0; font-size: 1.6rem; }
h2 { margin: 2rem 0 .5rem; font-size: 1.2rem; }
h3 { margin: 1rem 0 .3rem; font-size: 1rem; }
#filter { width: 100%; padding: .5rem .7rem; font: inherit; border: 1px solid var(--line); border-radius: 6px; }
details.operation { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; }
details.operation > summary { cursor: pointer; padding: .5rem .7rem; display: flex; gap: .7rem; align-items: baseline; flex-wrap: wrap; }
details.operation[open] > summary { border-bottom: 1px solid var(--line); }
.body { padding: .3rem 1rem 1rem; }
.method { font: 700 .8rem ui-monospace, SFMono-Regular, Menlo, monospace; text-transform: uppercase; min-width: 4.2rem; padding: .1rem .4rem; border-radius: 4px; text-align: center; color: #fff; background: #4b5563; }
.method.get { background: #1d4ed8; } .method.post { background: #047857; } .method.put { background: #b45309; }
.method.patch { background: #7c3aed; } .method.delete { background: #b91c1c; }
.path { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 600; }
.muted { color: var(--muted); }
.badge { font-size: .75rem; border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; }
pre { background: var(--code); padding: .6rem .8rem; border-radius: 6px; overflow: auto; max-height: 28rem; font-size: .82rem; }
code { background: var(--code); padding: 0 .25rem; border-radius: 3px; font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: .3rem .5rem; }
td pre { margin: 0; max-height: 12rem; }
.status { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 700; }
.hidden { display: none; }
.error { color: #b91c1c; }
`;

/** The page's script. Plain ES2020, no dependencies, no `eval`, no HTML strings. */
export const DOCS_JS = `'use strict';
(function () {
  var METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === 'text') node.textContent = attributes[name];
      else if (name === 'className') node.className = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  // Text with \`code\` spans and paragraphs, built from text nodes: no markup from the document.
  function prose(text) {
    var wrapper = el('div', { className: 'prose' });
    String(text || '').split(/\\n{2,}/).forEach(function (paragraph) {
      var p = el('p');
      paragraph.split('\`').forEach(function (part, index) {
        p.appendChild(index % 2 === 1 ? el('code', { text: part }) : document.createTextNode(part));
      });
      wrapper.appendChild(p);
    });
    return wrapper;
  }

  function resolver(document) {
    function lookup(ref) {
      if (typeof ref !== 'string' || ref.indexOf('#/') !== 0) return undefined;
      return ref.slice(2).split('/').reduce(function (node, key) {
        return node === undefined || node === null ? undefined : node[key.replace(/~1/g, '/').replace(/~0/g, '~')];
      }, document);
    }
    // Inlines $refs, keeping the component's name as a title; a cycle stays a $ref.
    function resolve(value, seen) {
      if (Array.isArray(value)) return value.map(function (item) { return resolve(item, seen); });
      if (value === null || typeof value !== 'object') return value;
      if (typeof value.$ref === 'string') {
        if (seen.indexOf(value.$ref) >= 0) return { $ref: value.$ref };
        var target = lookup(value.$ref);
        if (target === undefined) return value;
        var resolved = resolve(target, seen.concat([value.$ref]));
        if (resolved && typeof resolved === 'object' && !Array.isArray(resolved) && resolved.title === undefined) {
          var named = { title: value.$ref.split('/').pop() };
          Object.keys(resolved).forEach(function (key) { named[key] = resolved[key]; });
          return named;
        }
        return resolved;
      }
      var out = {};
      Object.keys(value).forEach(function (key) { out[key] = resolve(value[key], seen); });
      return out;
    }
    return function (value) { return resolve(value, []); };
  }

  function json(value) {
    return el('pre', { text: JSON.stringify(value, null, 2) });
  }

  function parametersTable(parameters, resolve) {
    var rows = parameters.map(function (parameter) {
      var resolved = resolve(parameter);
      return el('tr', {}, [
        el('td', {}, [el('code', { text: resolved.name })]),
        el('td', { text: resolved.in }),
        el('td', { text: resolved.required ? 'required' : 'optional' }),
        el('td', {}, [resolved.description ? prose(resolved.description) : null, json(resolved.schema || {})]),
      ]);
    });
    return el('table', { className: 'parameters' }, [
      el('thead', {}, [el('tr', {}, [el('th', { text: 'Name' }), el('th', { text: 'In' }), el('th', { text: '' }), el('th', { text: 'Schema' })])]),
      el('tbody', {}, rows),
    ]);
  }

  function contentBlocks(content, resolve) {
    return Object.keys(content || {}).map(function (mediaType) {
      var media = content[mediaType] || {};
      return el('div', { className: 'media' }, [
        el('div', {}, [el('code', { text: mediaType })]),
        json(resolve(media.schema || {})),
      ]);
    });
  }

  function operationView(document, resolve, path, method, operation) {
    var body = el('div', { className: 'body' });
    if (operation.description) body.appendChild(prose(operation.description));
    var security = operation.security !== undefined ? operation.security : document.security;
    body.appendChild(el('p', { className: 'muted security' }, [
      security && security.length > 0
        ? 'Auth: ' + security.map(function (requirement) {
            return Object.keys(requirement).map(function (name) {
              var roles = requirement[name] || [];
              return name + (roles.length > 0 ? ' (' + roles.join(', ') + ')' : '');
            }).join(' + ');
          }).join(' or ')
        : 'Auth: none',
    ]));
    var parameters = operation.parameters || [];
    if (parameters.length > 0) {
      body.appendChild(el('h3', { text: 'Parameters' }));
      body.appendChild(parametersTable(parameters, resolve));
    }
    if (operation.requestBody) {
      var requestBody = resolve(operation.requestBody);
      body.appendChild(el('h3', { text: 'Request body' + (requestBody.required ? ' (required)' : '') }));
      if (requestBody.description) body.appendChild(prose(requestBody.description));
      contentBlocks(requestBody.content, resolve).forEach(function (block) { body.appendChild(block); });
    }
    body.appendChild(el('h3', { text: 'Responses' }));
    var responses = operation.responses || {};
    Object.keys(responses).forEach(function (status) {
      var response = resolve(responses[status]);
      var section = el('section', { className: 'response', 'data-status': status }, [
        el('div', {}, [el('span', { className: 'status', text: status }), ' ', response.description || '']),
      ]);
      Object.keys(response.headers || {}).forEach(function (name) {
        var header = response.headers[name] || {};
        section.appendChild(el('div', { className: 'muted' }, ['Header ', el('code', { text: name }), header.description ? ': ' + header.description : '']));
      });
      contentBlocks(response.content, resolve).forEach(function (block) { section.appendChild(block); });
      body.appendChild(section);
    });
    var details = el('details', { className: 'operation', id: operation.operationId || method + ' ' + path, 'data-method': method, 'data-path': path }, [
      el('summary', {}, [
        el('span', { className: 'method ' + method, text: method }),
        el('span', { className: 'path', text: path }),
        el('span', { className: 'muted', text: operation.summary || '' }),
        operation.deprecated ? el('span', { className: 'badge', text: 'deprecated' }) : null,
      ]),
      body,
    ]);
    details.setAttribute('data-search', [method, path, operation.summary || '', (operation.tags || []).join(' ')].join(' ').toLowerCase());
    return details;
  }

  function render(document) {
    var resolve = resolver(document);
    var info = document.info || {};
    window.document.title = (info.title || 'API') + ' reference';
    window.document.getElementById('title').textContent = (info.title || 'API') + (info.version ? ' ' + info.version : '');
    var summary = window.document.getElementById('summary');
    summary.textContent = '';
    summary.appendChild(prose(info.description || ''));
    summary.appendChild(el('p', { className: 'muted' }, ['OpenAPI ' + (document.openapi || '') + ' · ', el('a', { href: '${DOCS_PATHS.openapi}', text: 'raw document' })]));

    var schemes = (document.components && document.components.securitySchemes) || {};
    var main = window.document.getElementById('operations');
    main.textContent = '';
    if (Object.keys(schemes).length > 0) {
      var schemesSection = el('section', { className: 'schemes' }, [el('h2', { text: 'Authentication' })]);
      Object.keys(schemes).forEach(function (name) {
        var scheme = schemes[name];
        schemesSection.appendChild(el('div', {}, [
          el('code', { text: name }), ': ',
          scheme.type === 'apiKey' ? 'API key in ' + scheme.in + ' ' + scheme.name : scheme.type + (scheme.scheme ? ' ' + scheme.scheme : ''),
          scheme.description ? ' (' + scheme.description + ')' : '',
        ]));
      });
      main.appendChild(schemesSection);
    }

    var groups = {};
    var order = [];
    Object.keys(document.paths || {}).forEach(function (path) {
      var item = document.paths[path] || {};
      METHODS.forEach(function (method) {
        var operation = item[method];
        if (!operation) return;
        var merged = {};
        Object.keys(operation).forEach(function (key) { merged[key] = operation[key]; });
        merged.parameters = (item.parameters || []).concat(operation.parameters || []);
        var tag = (operation.tags && operation.tags[0]) || 'Other';
        if (!groups[tag]) { groups[tag] = []; order.push(tag); }
        groups[tag].push(operationView(document, resolve, path, method, merged));
      });
    });
    order.forEach(function (tag) {
      main.appendChild(el('h2', { className: 'tag', text: tag }));
      groups[tag].forEach(function (view) { main.appendChild(view); });
    });
    main.setAttribute('data-operations', String(main.querySelectorAll('details.operation').length));
    main.setAttribute('data-ready', 'true');
  }

  function filter(text) {
    var needle = text.trim().toLowerCase();
    window.document.querySelectorAll('details.operation').forEach(function (node) {
      node.classList.toggle('hidden', needle !== '' && node.getAttribute('data-search').indexOf(needle) < 0);
    });
  }

  function start() {
    window.document.getElementById('filter').addEventListener('input', function (event) { filter(event.target.value); });
    fetch('${DOCS_PATHS.openapi}', { headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('GET ${DOCS_PATHS.openapi} answered ' + response.status);
        return response.json();
      })
      .then(render)
      .catch(function (error) {
        var summary = window.document.getElementById('summary');
        summary.textContent = 'Could not load the API document: ' + error.message;
        summary.className = 'error';
      });
  }

  if (window.document.readyState === 'loading') window.document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
