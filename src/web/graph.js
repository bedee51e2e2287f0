/* global cytoscape, Blob, URL, URLSearchParams, fetch, performance, setTimeout */
/**
 * The visual graph page at /graph: draws, from the GraphQL API, a victim's custody chain (traceVictim),
 * the compound flow network (compoundFlows), the paths between two entities (paths) or the neighbourhood
 * of a search result (search + network), with Cytoscape.js served from node_modules.
 * Every name comes from the API with the caller's role applied: journalists get victims' pseudonyms.
 * For tests and scripting: window.cy (the Cytoscape instance) and window.tgGraph.
 */
(function () {
  'use strict';
  var TG = window.TG;
  var $ = function (id) { return document.getElementById(id); };

  /** Colour and shape per type; the legend is built from this table. */
  var NODE_STYLES = [
    { key: 'VICTIM', label: 'Victim (person)', color: '#d62728', shape: 'ellipse' },
    { key: 'PERSON', label: 'Person', color: '#1f77b4', shape: 'ellipse' },
    { key: 'COMPOUND', label: 'Compound', color: '#ff7f0e', shape: 'round-rectangle' },
    { key: 'ORGANISATION', label: 'Organisation', color: '#2ca02c', shape: 'hexagon' },
    { key: 'EVENT', label: 'Event', color: '#9467bd', shape: 'diamond' },
    { key: 'SOURCE', label: 'Source', color: '#8c564b', shape: 'tag' },
  ];
  var EDGE_STYLES = [
    { key: 'TRANSFER_FLOW', label: 'Transfers between compounds (width: count)', color: '#d62728', style: 'solid' },
    { key: 'NEXT', label: 'Next step of a custody chain', color: '#444444', style: 'dashed' },
    { key: 'PARTICIPATION', label: 'Took part in an event (role)', color: '#9467bd', style: 'dotted' },
    { key: 'PLACE', label: 'Event at / from / to a compound', color: '#ff7f0e', style: 'solid' },
    { key: 'RELATION', label: 'Relationship (works at, operates...)', color: '#7f7f7f', style: 'solid' },
  ];
  var PARTICIPATION_TYPES = ['INVOLVES', 'VICTIM', 'SELLER', 'BUYER', 'BROKER', 'RECRUITER'];
  var PLACE_TYPES = ['AT', 'FROM', 'TO'];

  /** The months the asOf slider offers; its last position means "no date: everything". */
  var FIRST_MONTH = { year: 2015, month: 1 };
  var today = new Date();
  var monthCount = (today.getUTCFullYear() - FIRST_MONTH.year) * 12 + today.getUTCMonth() + 1;

  var current = { mode: null, args: null, truncated: false };

  // ---------------------------------------------------------------- Cytoscape

  function edgeClass(type) {
    if (type === 'TRANSFER_FLOW') return 'TRANSFER_FLOW';
    if (type === 'NEXT') return 'NEXT';
    if (PARTICIPATION_TYPES.indexOf(type) >= 0) return 'PARTICIPATION';
    if (PLACE_TYPES.indexOf(type) >= 0) return 'PLACE';
    return 'RELATION';
  }

  function nodeClass(node) {
    return node.type === 'PERSON' && node.properties && node.properties.isVictim ? 'VICTIM' : node.type;
  }

  function stylesheet(large) {
    var style = [
      {
        selector: 'node',
        style: {
          label: large ? '' : 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, 'text-wrap': 'wrap',
          'text-max-width': 120, 'min-zoomed-font-size': 7, width: 28, height: 28, 'border-width': 1, 'border-color': '#222',
          'text-background-color': '#ffffff', 'text-background-opacity': 0.7, 'text-background-padding': 1,
        },
      },
      {
        selector: 'edge',
        style: {
          width: 1.5, 'curve-style': large ? 'haystack' : 'bezier', 'target-arrow-shape': large ? 'none' : 'triangle',
          'arrow-scale': 0.8, label: large ? '' : 'data(label)', 'font-size': 8, 'min-zoomed-font-size': 9,
          'text-rotation': 'autorotate', color: '#333', 'text-background-color': '#ffffff', 'text-background-opacity': 0.7,
        },
      },
    ];
    NODE_STYLES.forEach(function (s) {
      style.push({ selector: 'node.' + s.key, style: { 'background-color': s.color, shape: s.shape } });
    });
    EDGE_STYLES.forEach(function (s) {
      style.push({ selector: 'edge.' + s.key, style: { 'line-color': s.color, 'target-arrow-color': s.color, 'line-style': s.style } });
    });
    style.push({ selector: 'edge.TRANSFER_FLOW', style: { width: 'mapData(count, 1, 10, 2, 10)' } });
    style.push({ selector: 'node.focus', style: { 'border-width': 4, 'border-color': '#000', width: 36, height: 36 } });
    // Big slices draw labels only for the selected node and its neighbours (labels dominate drawing time).
    if (large) style.push({ selector: 'node.labelled', style: { label: 'data(label)' } });
    style.push({ selector: ':selected', style: { 'overlay-color': '#ffd24a', 'overlay-opacity': 0.45, 'overlay-padding': 6 } });
    return style;
  }

  /** Draws elements ({nodes, edges} in the GraphSlice shape) and lays them out; returns the time taken. */
  function draw(slice, options) {
    options = options || {};
    var started = performance.now();
    var nodeIds = new Set();
    var elements = [];
    slice.nodes.forEach(function (n) {
      if (nodeIds.has(n.id)) return;
      nodeIds.add(n.id);
      var data = Object.assign({}, n.properties || {}, { id: n.id, label: n.label, type: n.type });
      var element = { group: 'nodes', data: data, classes: nodeClass(n) + (options.focus && options.focus.indexOf(n.id) >= 0 ? ' focus' : '') };
      if (n.position) element.position = { x: n.position.x, y: n.position.y };
      elements.push(element);
    });
    var edgeIds = new Set();
    slice.edges.forEach(function (e) {
      if (edgeIds.has(e.id) || !nodeIds.has(e.source) || !nodeIds.has(e.target)) return;
      edgeIds.add(e.id);
      var data = Object.assign({}, e.properties || {}, { id: e.id, source: e.source, target: e.target, type: e.type, label: e.label });
      elements.push({ group: 'edges', data: data, classes: edgeClass(e.type) });
    });
    var large = elements.length > 1500;
    if (window.cy && typeof window.cy.destroy === 'function') window.cy.destroy();
    var cy = cytoscape({
      container: $('graph-canvas'),
      elements: elements,
      style: stylesheet(large),
      layout: { name: 'preset' },
      minZoom: 0.05,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : 'auto',
    });
    window.cy = cy;
    if (nodeIds.size > 400) markDistances(cy, options.focus);
    cy.layout(layoutFor(options.layout, cy.nodes())).run();
    // A handful of nodes fitted to the canvas would be drawn huge: keep them at a readable size.
    if (cy.zoom() > 1.3) {
      cy.zoom(1.3);
      cy.center();
    }
    cy.on('tap', 'node, edge', function (event) { showDetails(event.target); });
    cy.on('select', 'node', function (event) { event.target.closedNeighborhood('node').addClass('labelled'); });
    cy.on('unselect', 'node', function () { cy.nodes('.labelled').removeClass('labelled'); });
    cy.on('tap', function (event) { if (event.target === cy) clearDetails(); });
    renderElementList(cy);
    var ms = Math.round(performance.now() - started);
    cy.scratch('tgDrawMs', ms);
    return ms;
  }

  /** A cheap layout, never animated: breadthfirst for chains, cose for small graphs, concentric for big ones. */
  function layoutFor(preferred, nodes) {
    var nodeCount = nodes.length;
    if (preferred === 'preset') return { name: 'preset', fit: true, padding: 60 };
    if (preferred === 'breadthfirst') return { name: 'breadthfirst', directed: true, spacingFactor: 1.1, animate: false, fit: true, padding: 30 };
    if (nodeCount <= 400) {
      return {
        name: 'cose', animate: false, fit: true, padding: 40, randomize: true, numIter: 1000, componentSpacing: 80,
        nodeRepulsion: function () { return 400000; }, idealEdgeLength: function () { return 110; }, nodeOverlap: 20,
      };
    }
    // Big slices: a sunflower spiral, O(n): the focus (searched node, path ends...) in the middle, then nodes by
    // hop distance from it, then by degree; compact enough to fit the screen with thousands of nodes.
    return { name: 'preset', fit: true, padding: 20, positions: spiralPositions(nodes) };
  }

  var GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

  function spiralPositions(nodes) {
    var order = nodes.toArray().sort(function (a, b) {
      var da = a.scratch('tgDistance');
      var db = b.scratch('tgDistance');
      da = typeof da === 'number' ? da : 999;
      db = typeof db === 'number' ? db : 999;
      return da - db || b.degree() - a.degree();
    });
    var positions = {};
    order.forEach(function (node, i) {
      var r = 24 * Math.sqrt(i);
      positions[node.id()] = { x: r * Math.cos(i * GOLDEN_ANGLE), y: r * Math.sin(i * GOLDEN_ANGLE) };
    });
    return positions;
  }

  /** Marks each node with its hop distance from the focus nodes (for the rings of big slices). */
  function markDistances(cy, focus) {
    var roots = cy.collection();
    (focus || []).forEach(function (id) { roots = roots.union(cy.getElementById(id)); });
    if (roots.empty()) return;
    cy.nodes().forEach(function (n) { n.scratch('tgDistance', 999); });
    cy.elements().breadthFirstSearch({
      roots: roots,
      directed: false,
      visit: function (v, _e, _u, _i, depth) { v.scratch('tgDistance', depth); },
    });
  }

  // ---------------------------------------------------------------- details panel and element list

  function clearDetails() {
    $('details').textContent = 'Select an element (click it, or pick it in the list below) to see its properties and sources.';
  }

  function addRow(dl, name, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
    var dt = document.createElement('dt');
    dt.textContent = name;
    var dd = document.createElement('dd');
    dd.textContent = typeof value === 'object' ? JSON.stringify(value) : String(value);
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  var HIDDEN_KEYS = ['id', 'label', 'type', 'source', 'target', 'sources'];

  async function showDetails(element) {
    var data = element.data();
    var panel = $('details');
    panel.textContent = '';
    var heading = document.createElement('h3');
    heading.textContent = data.label || data.id;
    panel.appendChild(heading);
    var dl = document.createElement('dl');
    addRow(dl, 'id', data.id);
    addRow(dl, 'type', data.type);
    if (element.isEdge()) {
      addRow(dl, 'from', element.source().data('label'));
      addRow(dl, 'to', element.target().data('label'));
    }
    Object.keys(data).sort().forEach(function (key) {
      if (HIDDEN_KEYS.indexOf(key) < 0) addRow(dl, key, data[key]);
    });
    panel.appendChild(dl);
    var sourcesHeading = document.createElement('h4');
    sourcesHeading.textContent = 'Sources';
    panel.appendChild(sourcesHeading);
    var list = document.createElement('ul');
    list.className = 'sources';
    list.textContent = 'Loading…';
    panel.appendChild(list);
    try {
      var sources = await sourcesOf(element);
      list.textContent = sources.length ? '' : 'No source recorded.';
      sources.forEach(function (s) {
        var li = document.createElement('li');
        var title = s.url ? document.createElement('a') : document.createElement('span');
        title.textContent = s.title;
        if (s.url) { title.href = s.url; title.rel = 'noopener noreferrer'; title.target = '_blank'; }
        li.appendChild(title);
        var meta = [s.publisher, s.published, 'reliability ' + s.reliability].filter(Boolean).join(' · ');
        li.appendChild(document.createTextNode(' (' + meta + ')'));
        list.appendChild(li);
      });
    } catch (error) {
      list.textContent = 'Could not load the sources: ' + error.message;
    }
  }

  var SOURCE_FIELDS = 'id title publisher url published reliability';

  /** A node's sources from `node(id)`; an edge's from the source ids it carries. */
  async function sourcesOf(element) {
    var data = element.data();
    if (element.isNode() && data.type !== 'SOURCE') {
      var answer = await TG.graphql(
        'query GraphNodeSources($id: ID!) { node(id: $id) { ... on Sourced { sources { ' + SOURCE_FIELDS + ' } } } }',
        { id: data.id },
      );
      return (answer.node && answer.node.sources) || [];
    }
    var ids = element.isNode() ? [data.id] : (Array.isArray(data.sources) ? data.sources : []);
    if (!ids.length) return [];
    var found = await TG.graphql(
      'query GraphSources($ids: [ID!]!) { nodes(ids: $ids) { ... on Source { ' + SOURCE_FIELDS + ' } } }',
      { ids: ids.slice(0, 100) },
    );
    return (found.nodes || []).filter(function (s) { return s && s.title; });
  }

  var LIST_CAP = 1000;

  /** The drawn nodes as buttons, so the graph can be explored with the keyboard. */
  function renderElementList(cy) {
    var list = $('element-list');
    list.textContent = '';
    var nodes = cy.nodes().sort(function (a, b) { return String(a.data('label')).localeCompare(String(b.data('label'))); });
    var fragment = document.createDocumentFragment();
    nodes.slice(0, LIST_CAP).forEach(function (node) {
      var li = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'element ' + node.classes().join(' ');
      button.textContent = node.data('label') + ' (' + String(node.data('type')).toLowerCase() + ')';
      button.addEventListener('click', function () {
        cy.elements().unselect();
        node.select();
        cy.animate({ center: { eles: node }, duration: 0 });
        showDetails(node);
      });
      li.appendChild(button);
      fragment.appendChild(li);
    });
    list.appendChild(fragment);
    $('element-count').textContent = cy.nodes().length + ' nodes, ' + cy.edges().length + ' edges' +
      (nodes.length > LIST_CAP ? ' (list shows the first ' + LIST_CAP + ')' : '');
  }

  function renderLegend() {
    var legend = $('legend');
    NODE_STYLES.forEach(function (s) {
      var li = document.createElement('li');
      var swatch = document.createElement('span');
      swatch.className = 'swatch shape-' + s.shape;
      swatch.style.backgroundColor = s.color;
      swatch.setAttribute('aria-hidden', 'true');
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(s.label + ' (' + s.shape.replace('-', ' ') + ')'));
      legend.appendChild(li);
    });
    EDGE_STYLES.forEach(function (s) {
      var li = document.createElement('li');
      var line = document.createElement('span');
      line.className = 'line';
      line.style.borderTopColor = s.color;
      line.style.borderTopStyle = s.style;
      line.setAttribute('aria-hidden', 'true');
      li.appendChild(line);
      li.appendChild(document.createTextNode(s.label + ' (' + s.style + ')'));
      legend.appendChild(li);
    });
  }

  // ---------------------------------------------------------------- the four views

  var ENTITY = 'id type name ... on Person { isVictim }';

  /** traceVictim as a graph: the victim, each step's event, the compounds and every seller, buyer, broker, recruiter. */
  function custodyToSlice(chain) {
    var nodes = [];
    var edges = [];
    var victim = chain.victim;
    // A timeline: steps left to right, compounds below, sellers/buyers/brokers/recruiters above, the victim on top.
    var STEP = 210;
    var rows = { COMPOUND: { y: 190, used: {} }, OTHER: { y: -170, used: {} } };
    var placed = {};
    nodes.push({
      id: victim.id, label: victim.name, type: 'PERSON', properties: { isVictim: true, pseudonym: victim.pseudonym },
      position: { x: ((chain.steps.length - 1) * STEP) / 2, y: -360 },
    });
    placed[victim.id] = true;
    function entityNode(entity, stepIndex) {
      if (placed[entity.id]) return;
      placed[entity.id] = true;
      var properties = entity.type === 'PERSON' ? { isVictim: Boolean(entity.isVictim) } : {};
      if (entity.country) properties.country = entity.country;
      var row = entity.type === 'COMPOUND' ? rows.COMPOUND : rows.OTHER;
      var x = stepIndex * STEP;
      var y = row.y;
      while (row.used[x + ',' + y]) {
        x += STEP / 2;
        if (row.used[x + ',' + y]) { x -= STEP / 2; y += entity.type === 'COMPOUND' ? 90 : -90; }
      }
      row.used[x + ',' + y] = true;
      nodes.push({ id: entity.id, label: entity.name, type: entity.type, properties: properties, position: { x: x, y: y } });
    }
    var previous = null;
    var previousSources = [];
    chain.steps.forEach(function (step, position) {
      var event = step.event;
      // Every edge of a step is a fact of its event, and cites the event's sources; `then` cites both events'.
      var sources = (step.sources || []).map(function (s) { return s.id; });
      var cited = function () { return { sources: sources.slice() }; };
      var label = step.index + '. ' + step.kind.toLowerCase() + (step.date ? ' ' + step.date : '');
      nodes.push({
        id: event.id, label: label, type: 'EVENT',
        properties: { title: event.title, kind: step.kind, date: step.date, price: step.price, currency: step.currency, isExit: step.isExit, step: step.index },
        position: { x: position * STEP, y: 0 },
      });
      edges.push({ id: victim.id + '|VICTIM|' + event.id, source: victim.id, target: event.id, type: 'VICTIM', label: 'victim', properties: cited() });
      if (previous) {
        var both = previousSources.concat(sources.filter(function (id) { return previousSources.indexOf(id) === -1; }));
        edges.push({ id: previous + '|NEXT|' + event.id, source: previous, target: event.id, type: 'NEXT', label: 'then', properties: { sources: both } });
      }
      previous = event.id;
      previousSources = sources;
      [['AT', step.compound], ['FROM', step.fromCompound], ['TO', step.toCompound]].forEach(function (pair) {
        if (!pair[1]) return;
        entityNode(pair[1], position);
        edges.push({ id: event.id + '|' + pair[0] + '|' + pair[1].id, source: event.id, target: pair[1].id, type: pair[0], label: pair[0].toLowerCase(), properties: cited() });
      });
      [['SELLER', step.sellers], ['BUYER', step.buyers], ['BROKER', step.brokers], ['RECRUITER', step.recruiters]].forEach(function (pair) {
        (pair[1] || []).forEach(function (entity) {
          entityNode(entity, position);
          edges.push({ id: entity.id + '|' + pair[0] + '|' + event.id, source: entity.id, target: event.id, type: pair[0], label: pair[0].toLowerCase(), properties: cited() });
        });
      });
    });
    return { nodes: nodes, edges: edges, truncated: false };
  }

  var CUSTODY_QUERY = [
    'query GraphCustodyChain($id: ID!, $asOf: Date) {',
    '  traceVictim(id: $id, asOf: $asOf) {',
    '    victim { id name pseudonym }',
    '    steps {',
    '      index kind date price currency isExit',
    '      event { id title }',
    '      sources { id }',
    '      compound { id type name country } fromCompound { id type name country } toCompound { id type name country }',
    '      sellers { ' + ENTITY + ' } buyers { ' + ENTITY + ' } brokers { ' + ENTITY + ' } recruiters { ' + ENTITY + ' }',
    '    }',
    '    gaps { description }',
    '    hasConflicts',
    '  }',
    '}',
  ].join('\n');

  var SLICE = 'nodes { id label type properties } edges { id source target type label properties } truncated';

  async function runCustody(args) {
    var data = await TG.graphql(CUSTODY_QUERY, { id: args.id, asOf: args.asOf });
    if (!data.traceVictim) throw new Error('No custody chain for ' + args.id + ' (not a victim, or not visible to your role).');
    var chain = data.traceVictim;
    var slice = custodyToSlice(chain);
    var notes = [chain.steps.length + ' steps'];
    if (chain.gaps.length) notes.push(chain.gaps.length + ' gap(s): ' + chain.gaps.map(function (g) { return g.description; }).join('; '));
    if (chain.hasConflicts) notes.push('sources disagree on some steps');
    return { slice: slice, layout: 'preset', focus: [chain.victim.id], note: notes.join(' · ') };
  }

  async function runFlows(args) {
    var filter = { minCount: args.minCount || 1 };
    if (args.countries.length) filter.countries = args.countries;
    if (args.asOf) filter.to = args.asOf;
    var data = await TG.graphql('query GraphCompoundFlows($filter: FlowFilter, $limit: Int) { compoundFlows(filter: $filter, limit: $limit) { ' + SLICE + ' } }', { filter: filter, limit: args.flowLimit });
    var flows = data.compoundFlows;
    return { slice: flows, note: flows.edges.length + ' corridors' + (flows.truncated ? ', the largest only: raise the number of corridors (up to 10000), raise minCount or narrow by country to see the rest' : '') };
  }

  async function runPaths(args) {
    var data = await TG.graphql(
      'query GraphPaths($from: ID!, $to: ID!, $events: Boolean) { paths(from: $from, to: $to, first: 5, includeEvents: $events) {' +
        ' length nodes { id label type properties } hops { from { id } to { id } type direction relationId role position start end sources { id } } } }',
      { from: args.from, to: args.to, events: args.includeEvents },
    );
    var nodes = [];
    var edges = [];
    data.paths.forEach(function (path) {
      path.nodes.forEach(function (n) { nodes.push(n); });
      path.hops.forEach(function (hop) {
        var forward = hop.direction === 'FORWARD';
        edges.push({
          id: hop.relationId + '|' + hop.type,
          source: forward ? hop.from.id : hop.to.id,
          target: forward ? hop.to.id : hop.from.id,
          type: hop.type,
          label: hop.role || (hop.position ? hop.type + ' (' + hop.position + ')' : hop.type),
          properties: { start: hop.start, end: hop.end, position: hop.position, role: hop.role, sources: hop.sources.map(function (s) { return s.id; }) },
        });
      });
    });
    if (!data.paths.length) throw new Error('No path between ' + args.from + ' and ' + args.to + ' within 6 hops.');
    return { slice: { nodes: nodes, edges: edges, truncated: false }, focus: [args.from, args.to], note: data.paths.length + ' shortest path(s), length ' + data.paths[0].length };
  }

  var SEARCH_QUERY = 'query GraphSearch($q: String!) { search(query: $q, first: 10) { edges { score node { id __typename' +
    ' ... on Entity { type name } ... on Event { title date } ... on Source { title } } } } }';

  async function runSearch(args) {
    var id = args.hitId;
    if (!id) {
      var found = await TG.graphql(SEARCH_QUERY, { q: args.query });
      var hits = found.search.edges.map(function (e) { return e.node; });
      renderHits(hits);
      if (!hits.length) throw new Error('Nothing matches "' + args.query + '".');
      id = hits[0].id;
    }
    args.hitId = id;
    var data = await TG.graphql(
      'query GraphNetwork($ids: [ID!]!, $depth: Int, $asOf: Date, $events: Boolean) { network(ids: $ids, depth: $depth, limit: 3000, asOf: $asOf, includeEvents: $events) { ' + SLICE + ' } }',
      { ids: [id], depth: args.depth, asOf: args.asOf, events: args.includeEvents },
    );
    current.networkIds = [id];
    return { slice: data.network, focus: [id], note: 'neighbourhood of ' + id + ' (depth ' + args.depth + ')' + (data.network.truncated ? ' · truncated: there is more' : '') };
  }

  function renderHits(hits) {
    var box = $('hits');
    var list = $('hit-list');
    list.textContent = '';
    hits.forEach(function (hit) {
      var li = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = (hit.name || hit.title || hit.id) + ' (' + (hit.type || hit.__typename).toLowerCase() + ')';
      button.addEventListener('click', function () {
        var args = readForm();
        args.hitId = hit.id;
        run('search', args);
      });
      li.appendChild(button);
      list.appendChild(li);
    });
    box.hidden = hits.length === 0;
  }

  var RUNNERS = { custody: runCustody, flows: runFlows, paths: runPaths, search: runSearch };

  // ---------------------------------------------------------------- form, slider, run

  function monthAt(position) {
    var index = FIRST_MONTH.month - 1 + Number(position);
    var year = FIRST_MONTH.year + Math.floor(index / 12);
    var month = (index % 12) + 1;
    var last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return year + '-' + String(month).padStart(2, '0') + '-' + String(last).padStart(2, '0');
  }

  /** The asOf date of the slider: the last day of the chosen month, or null at its right end ("all dates"). */
  function asOfValue() {
    var slider = $('as-of');
    return Number(slider.value) >= monthCount ? null : monthAt(slider.value);
  }

  function updateSliderLabel() {
    var value = asOfValue();
    var text = value ? 'as of ' + value : 'all dates';
    $('as-of-value').textContent = text;
    $('as-of').setAttribute('aria-valuetext', text);
  }

  function readForm() {
    return {
      id: $('victim-id').value.trim(),
      from: $('path-from').value.trim(),
      to: $('path-to').value.trim(),
      query: $('search-query').value.trim(),
      depth: Number($('depth').value) || 1,
      includeEvents: $('include-events').checked,
      countries: $('flow-countries').value.split(',').map(function (c) { return c.trim().toLowerCase(); }).filter(Boolean),
      minCount: Number($('flow-min').value) || 1,
      flowLimit: Math.min(10000, Math.max(1, Math.floor(Number($('flow-limit').value) || 1000))),
      asOf: asOfValue(),
    };
  }

  function showMode(mode) {
    document.querySelectorAll('[data-mode]').forEach(function (el) {
      el.hidden = el.getAttribute('data-mode').split(' ').indexOf(mode) < 0;
    });
    $('graphml-server').hidden = mode !== 'search';
  }

  function setStatus(text, isError) {
    var status = $('status');
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  /** Runs one view with `args`; resolves once the graph is drawn (or the error shown). */
  async function run(mode, args) {
    mode = mode || $('mode').value;
    if (!args) {
      args = readForm();
      if (mode === 'search') $('hits').hidden = true;
    }
    var missing = mode === 'custody' ? !args.id : mode === 'paths' ? !(args.from && args.to) : mode === 'search' ? !(args.query || args.hitId) : false;
    if (missing) { setStatus('Fill in the fields of this view first.', true); return; }
    setStatus('Loading…');
    document.body.setAttribute('aria-busy', 'true');
    try {
      var result = await RUNNERS[mode](args);
      var ms = draw(result.slice, { layout: result.layout, focus: result.focus });
      current = { mode: mode, args: args, truncated: Boolean(result.slice.truncated), networkIds: current.networkIds };
      setStatus(window.cy.nodes().length + ' nodes, ' + window.cy.edges().length + ' edges drawn in ' + ms + ' ms' + (result.note ? ' · ' + result.note : ''));
      clearDetails();
      document.body.setAttribute('data-drawn', mode);
    } catch (error) {
      setStatus(error.message, true);
      document.body.setAttribute('data-drawn', 'error');
    } finally {
      document.body.removeAttribute('aria-busy');
    }
  }

  // ---------------------------------------------------------------- export

  function download(blob, filename) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function baseName() {
    return 'trafficking-graph-' + (current.mode || 'graph');
  }

  function escapeXml(value) {
    return String(value).replace(/[<>&"']/g, function (c) { return { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }[c]; });
  }

  /** GraphML of exactly what is drawn (any view). */
  function graphmlOfView(cy) {
    var lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
      '  <key id="label" for="all" attr.name="label" attr.type="string"/>',
      '  <key id="type" for="all" attr.name="type" attr.type="string"/>',
      '  <key id="properties" for="all" attr.name="properties" attr.type="string"/>',
      '  <graph id="G" edgedefault="directed">',
    ];
    function props(data) {
      var rest = {};
      Object.keys(data).forEach(function (k) { if (['id', 'label', 'type', 'source', 'target'].indexOf(k) < 0) rest[k] = data[k]; });
      return JSON.stringify(rest);
    }
    cy.nodes().forEach(function (n) {
      var d = n.data();
      lines.push('    <node id="' + escapeXml(d.id) + '"><data key="label">' + escapeXml(d.label) + '</data><data key="type">' + escapeXml(d.type) +
        '</data><data key="properties">' + escapeXml(props(d)) + '</data></node>');
    });
    cy.edges().forEach(function (e) {
      var d = e.data();
      lines.push('    <edge id="' + escapeXml(d.id) + '" source="' + escapeXml(d.source) + '" target="' + escapeXml(d.target) + '"><data key="label">' +
        escapeXml(d.label) + '</data><data key="type">' + escapeXml(d.type) + '</data><data key="properties">' + escapeXml(props(d)) + '</data></edge>');
    });
    lines.push('  </graph>', '</graphml>', '');
    return lines.join('\n');
  }

  /** The server's GraphML of the same neighbourhood (/export/network), fetched with the API key. */
  async function graphmlFromServer() {
    if (current.mode !== 'search' || !current.networkIds) { setStatus('Draw a neighbourhood first.', true); return; }
    var params = new URLSearchParams({ ids: current.networkIds.join(','), depth: String(current.args.depth), format: 'graphml' });
    if (current.args.asOf) params.set('asOf', current.args.asOf);
    if (current.args.includeEvents) params.set('events', 'true');
    var response = await fetch('/export/network?' + params.toString(), { headers: TG.authHeaders() });
    if (!response.ok) { setStatus('Export failed: HTTP ' + response.status + ' ' + (await response.text()).slice(0, 200), true); return; }
    download(await response.blob(), baseName() + '-server.graphml');
  }

  function bindExports() {
    $('export-png').addEventListener('click', function () {
      if (!window.cy) return;
      download(window.cy.png({ output: 'blob', full: true, bg: '#ffffff', scale: 2 }), baseName() + '.png');
    });
    $('export-svg').addEventListener('click', function () {
      if (!window.cy) return;
      download(new Blob([window.cy.svg({ full: true, bg: '#ffffff' })], { type: 'image/svg+xml' }), baseName() + '.svg');
    });
    $('export-graphml').addEventListener('click', function () {
      if (!window.cy) return;
      download(new Blob([graphmlOfView(window.cy)], { type: 'application/graphml+xml' }), baseName() + '.graphml');
    });
    $('graphml-server').addEventListener('click', function () { graphmlFromServer(); });
  }

  // ---------------------------------------------------------------- start

  function start() {
    var slider = $('as-of');
    slider.min = '0';
    slider.max = String(monthCount);
    slider.step = '1';
    slider.value = String(monthCount);
    updateSliderLabel();
    slider.addEventListener('input', updateSliderLabel);
    // Redraw on release (mouse) or each key step (keyboard), not on every pixel of a drag.
    slider.addEventListener('change', function () {
      if (current.mode) run(current.mode, Object.assign({}, current.args, { asOf: asOfValue() }));
    });

    TG.bindApiKeyInput($('api-key'));
    $('mode').addEventListener('change', function () { showMode($('mode').value); });
    $('query-form').addEventListener('submit', function (event) {
      event.preventDefault();
      TG.setApiKey($('api-key').value.trim());
      run($('mode').value);
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && window.cy) { window.cy.elements().unselect(); clearDetails(); }
    });
    renderLegend();
    bindExports();
    clearDetails();

    // Deep links: /graph?view=custody&id=person:...  /graph?view=search&q=Riverbend  /graph?view=paths&from=..&to=..
    var params = new URLSearchParams(window.location.search);
    var view = params.get('view');
    if (params.get('id')) $('victim-id').value = params.get('id');
    if (params.get('q')) $('search-query').value = params.get('q');
    if (params.get('from')) $('path-from').value = params.get('from');
    if (params.get('to')) $('path-to').value = params.get('to');
    if (view && RUNNERS[view]) $('mode').value = view;
    showMode($('mode').value);
    if (view && RUNNERS[view]) run(view);
  }

  window.tgGraph = { run: run, draw: draw, custodyToSlice: custodyToSlice, graphmlOfView: graphmlOfView };
  start();
})();
