/* global sessionStorage, fetch */
/**
 * Shared by the explorer (/graphql) and the graph page (/graph): the API key (kept in sessionStorage only,
 * so it is gone when the tab closes) and a small GraphQL client that sends it as `Authorization: Bearer`.
 */
(function () {
  'use strict';
  var STORAGE_KEY = 'trafficking-graph.apiKey';

  function getApiKey() {
    try {
      return sessionStorage.getItem(STORAGE_KEY) || '';
    } catch {
      return '';
    }
  }

  function setApiKey(value) {
    try {
      if (value) sessionStorage.setItem(STORAGE_KEY, value);
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      /* storage disabled: the key lives for this page only */
    }
  }

  function authHeaders() {
    var key = getApiKey().trim();
    return key ? { Authorization: 'Bearer ' + key } : {};
  }

  /** Posts one operation to /graphql; resolves with `data`, rejects with the joined error messages. */
  async function graphql(query, variables) {
    var response = await fetch('/graphql', {
      method: 'POST',
      headers: Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, authHeaders()),
      body: JSON.stringify({ query: query, variables: variables || {} }),
    });
    var body = null;
    try {
      body = await response.json();
    } catch {
      throw new Error('The server answered HTTP ' + response.status + ' without JSON');
    }
    if (body.errors && body.errors.length) {
      var error = new Error(body.errors.map(function (e) { return e.message; }).join('; '));
      error.errors = body.errors;
      error.data = body.data;
      throw error;
    }
    return body.data;
  }

  /** Binds an <input> to the stored API key. */
  function bindApiKeyInput(input, onChange) {
    input.value = getApiKey();
    input.addEventListener('change', function () {
      setApiKey(input.value.trim());
      if (onChange) onChange();
    });
  }

  window.TG = { getApiKey: getApiKey, setApiKey: setApiKey, authHeaders: authHeaders, graphql: graphql, bindApiKeyInput: bindApiKeyInput };
})();
