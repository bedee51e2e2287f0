/* global React, ReactDOM, GraphiQL, fetch, sessionStorage, URLSearchParams */
/**
 * The GraphQL explorer at /graphql: GraphiQL from node_modules (no CDN), the API key from the bar above it,
 * and the saved queries as examples.
 */
(function () {
  'use strict';
  var TG = window.TG;

  var DEFAULT_QUERY = [
    '# trafficking-graph GraphQL explorer. Run: Ctrl-Enter or the run button.',
    '# Saved queries: "Example" above. API key: the bar above',
    '# (none = public role). Docs: the book icon on the left.',
    '',
    'query Search {',
    '  search(query: "Riverbend", first: 5) {',
    '    edges {',
    '      score',
    '      node {',
    '        id',
    '        ... on Entity { type name }',
    '        ... on Event { kind date title }',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');

  var examples = [];
  var state = { query: undefined, variables: undefined };
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));

  var initial = new URLSearchParams(window.location.search);
  if (initial.get('query')) state.query = initial.get('query');
  if (initial.get('variables')) state.variables = initial.get('variables');

  /** Sends the operation with the API key, plus whatever the headers tab adds. */
  async function fetcher(params, options) {
    var headers = Object.assign(
      { 'content-type': 'application/json', accept: 'application/json' },
      TG.authHeaders(),
      (options && options.headers) || {},
    );
    var response = await fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify(params) });
    var text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: 'HTTP ' + response.status + ': ' + text.slice(0, 200) }] };
    }
  }

  function render() {
    root.render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultQuery: DEFAULT_QUERY,
        query: state.query,
        variables: state.variables,
        // Tabs and history stay in this browser tab only: nothing about an investigation is left on disk.
        storage: sessionStorage,
        shouldPersistHeaders: false,
        defaultEditorToolsVisibility: state.variables ? 'variables' : false,
      }),
    );
  }

  function variablesFor(saved) {
    var values = {};
    (saved.parameters || []).forEach(function (p) {
      if (p.default != null) {
        try {
          values[p.name] = JSON.parse(p.default);
        } catch {
          values[p.name] = p.default;
        }
      } else {
        values[p.name] = null;
      }
    });
    return Object.keys(values).length ? JSON.stringify(values, null, 2) : '';
  }

  async function loadExamples() {
    var select = document.getElementById('examples');
    try {
      var data = await TG.graphql('query ExplorerExamples { savedQueries { name title description document parameters { name default } } }');
      examples = data.savedQueries || [];
    } catch {
      examples = []; // no saved queries on this server (or not for this role): the explorer works without them
    }
    while (select.options.length > 1) select.remove(1);
    examples.forEach(function (saved, index) {
      var option = document.createElement('option');
      option.value = String(index);
      option.textContent = saved.title + ' (' + saved.name + ')';
      option.title = saved.description || '';
      select.appendChild(option);
    });
    select.disabled = examples.length === 0;
  }

  document.getElementById('examples').addEventListener('change', function (event) {
    var saved = examples[Number(event.target.value)];
    if (!saved) return;
    state.query = saved.document;
    state.variables = variablesFor(saved);
    render();
  });

  var keyInput = document.getElementById('api-key');
  TG.bindApiKeyInput(keyInput, loadExamples);
  document.getElementById('key-form').addEventListener('submit', function (event) {
    event.preventDefault();
    TG.setApiKey(keyInput.value.trim());
    loadExamples();
  });

  render();
  loadExamples();
})();
