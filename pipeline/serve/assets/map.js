// The map: every recommendation as a point on a canvas (positions from the map stage), coloured by
// theme or cluster; hover shows the text, a click opens it, a dragged rectangle selects a region and
// becomes the `bbox` filter of the URL — search, trends and groups opened from the selection are
// narrowed to it. Wheel zooms, Shift+drag pans, double click shows everything again.
const root = document.getElementById('map');
if (root) init(root);

/** «из 21 рекомендации», «из 193 рекомендаций»: the genitive after «из» agreeing with n. */
function ofRecs(n) {
  return n % 10 === 1 && n % 100 !== 11 ? 'рекомендации' : 'рекомендаций';
}

function init(root) {
  const canvas = root.querySelector('canvas');
  const tip = root.querySelector('.map-tip');
  const side = document.getElementById('sel');
  const empty = document.getElementById('sel-empty');
  const legendEl = document.getElementById('legend');
  const countEl = document.getElementById('map-count');
  const colourSel = document.getElementById('colour');
  const ctx = canvas.getContext('2d');
  const layer = document.createElement('canvas');
  const lctx = layer.getContext('2d');
  let data = null;
  let view = { k: 1, tx: 0, ty: 0 };
  let home = { k: 1, tx: 0, ty: 0 };
  let first = true;
  let selection = parseBbox(root.dataset.bbox);
  let drag = null;
  let grid = new Map();
  let sx = new Float32Array(0);
  let sy = new Float32Array(0);
  const CELL = 8;
  const dpr = window.devicePixelRatio || 1;

  function parseBbox(s) {
    if (!s) return null;
    const v = s.split(',').map(Number);
    return v.length === 4 && v.every(Number.isFinite) ? v : null;
  }
  function size() {
    const w = root.clientWidth;
    const h = Math.round(Math.min(Math.max(420, w * 0.72), window.innerHeight * 0.8));
    for (const c of [canvas, layer]) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    canvas.style.height = `${h}px`;
    return { w, h };
  }
  let dims = size();
  // Data coordinates ([-1, 1], y up) to CSS pixels and back.
  const base = () => Math.min(dims.w, dims.h) / 2.15;
  const toX = (x) => dims.w / 2 + (x * base() * view.k) + view.tx;
  const toY = (y) => dims.h / 2 - (y * base() * view.k) + view.ty;
  const fromX = (px) => (px - dims.w / 2 - view.tx) / (base() * view.k);
  const fromY = (py) => -(py - dims.h / 2 - view.ty) / (base() * view.k);

  function params() {
    const p = new URLSearchParams(location.search);
    p.delete('bbox');
    p.set('colour', colourSel.value);
    return p;
  }
  async function load() {
    countEl.textContent = 'Загрузка…';
    const res = await fetch(`/api/map/points?${params()}`);
    const body = await res.json();
    if (!res.ok) {
      countEl.textContent = body.detail || 'Карта недоступна.';
      return;
    }
    data = body;
    if (first) {
      first = false;
      fitView();
    }
    legendEl.replaceChildren(
      ...data.legend.filter((l) => l.count > 0).map((l) => {
        const s = document.createElement('span');
        s.style.setProperty('--c', l.color);
        s.textContent = `${l.label} (${l.count.toLocaleString('ru-RU')})`;
        return s;
      }),
    );
    countEl.textContent =
      `На карте ${data.shown.toLocaleString('ru-RU')} из ${data.total.toLocaleString('ru-RU')} ${ofRecs(data.total)}` +
      (data.offMap ? `; ${data.offMap.toLocaleString('ru-RU')} ещё не ${data.offMap % 10 === 1 && data.offMap % 100 !== 11 ? 'размещена' : 'размещены'} (confrec map)` : '') + '.';
    render();
    if (selection) loadSelection();
  }

  // The first view fits the middle 98% of the points: a few far clusters would otherwise squeeze the
  // rest into a corner. Double click returns here; zooming out shows everything.
  function fitView() {
    const xs = [...data.x].sort((a, b) => a - b);
    const ys = [...data.y].sort((a, b) => a - b);
    if (xs.length < 50) return;
    const q = (v, p) => v[Math.floor(p * (v.length - 1))];
    const [x0, x1, y0, y1] = [q(xs, 0.01), q(xs, 0.99), q(ys, 0.01), q(ys, 0.99)];
    const k = Math.min(8, 0.95 * Math.min(2 / Math.max(1e-6, x1 - x0), 2 / Math.max(1e-6, y1 - y0)));
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    home = { k, tx: -cx * base() * k, ty: cy * base() * k };
    view = { ...home };
  }

  function render() {
    if (!data) return;
    const n = data.x.length;
    sx = new Float32Array(n);
    sy = new Float32Array(n);
    grid = new Map();
    lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    lctx.clearRect(0, 0, dims.w, dims.h);
    // Few points: large dots; 75,000: 1.5 px, growing as one zooms in.
    const r = Math.min(8, Math.max(1.5, 9 - 1.6 * Math.log10(Math.max(10, n))) * Math.sqrt(view.k));
    // Points the facets filter out first, in grey, under the others.
    for (const pass of [0, 1]) {
      for (let i = 0; i < n; i++) {
        if (data.f[i] !== pass) continue;
        const x = toX(data.x[i]);
        const y = toY(data.y[i]);
        sx[i] = x;
        sy[i] = y;
        if (x < -5 || y < -5 || x > dims.w + 5 || y > dims.h + 5) continue;
        lctx.fillStyle = pass ? data.legend[data.c[i]].color : '#e6e6e6';
        lctx.globalAlpha = pass ? 0.75 : 0.6;
        if (r > 3) {
          lctx.beginPath();
          lctx.arc(x, y, r / 2, 0, 2 * Math.PI);
          lctx.fill();
        } else lctx.fillRect(x - r / 2, y - r / 2, r, r);
        if (pass) {
          const key = `${Math.floor(x / CELL)},${Math.floor(y / CELL)}`;
          let cell = grid.get(key);
          if (!cell) grid.set(key, (cell = []));
          cell.push(i);
        }
      }
    }
    lctx.globalAlpha = 1;
    lctx.font = '12px system-ui, sans-serif';
    lctx.textAlign = 'center';
    lctx.lineWidth = 3;
    lctx.strokeStyle = 'rgba(255,255,255,0.9)';
    lctx.fillStyle = '#222';
    // Labels of the largest clusters first; one that would overlap a placed label is left out.
    const placed = [];
    for (const l of data.labels) {
      const x = toX(l.x);
      const y = toY(l.y);
      const w = lctx.measureText(l.text).width + 6;
      const box = { x0: x - w / 2, x1: x + w / 2, y0: y - 13, y1: y + 3 };
      if (box.x1 < 0 || box.x0 > dims.w || box.y1 < 0 || box.y0 > dims.h) continue;
      if (placed.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) continue;
      placed.push(box);
      lctx.strokeText(l.text, x, y);
      lctx.fillText(l.text, x, y);
    }
    paint();
  }
  function paint(rect) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(layer, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const box = rect || (selection && { x0: toX(selection[0]), y0: toY(selection[1]), x1: toX(selection[2]), y1: toY(selection[3]) });
    if (box) {
      ctx.fillStyle = 'rgba(11,92,173,0.08)';
      ctx.strokeStyle = '#0b5cad';
      ctx.lineWidth = 1.5;
      const x = Math.min(box.x0, box.x1);
      const y = Math.min(box.y0, box.y1);
      ctx.fillRect(x, y, Math.abs(box.x1 - box.x0), Math.abs(box.y1 - box.y0));
      ctx.strokeRect(x, y, Math.abs(box.x1 - box.x0), Math.abs(box.y1 - box.y0));
    }
  }
  function nearest(px, py) {
    let best = -1;
    let bestD = 36;
    const cx = Math.floor(px / CELL);
    const cy = Math.floor(py / CELL);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const i of grid.get(`${cx + dx},${cy + dy}`) || []) {
          const d = (sx[i] - px) ** 2 + (sy[i] - py) ** 2;
          if (d < bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }

  const briefs = new Map();
  let hoverTimer = 0;
  let hovered = -1;
  function showTip(i, px, py) {
    hovered = i;
    if (i < 0) {
      tip.hidden = true;
      return;
    }
    const id = data.ids[i];
    const place = () => {
      tip.style.left = `${Math.min(px + 14, dims.w - 300)}px`;
      tip.style.top = `${py + 14}px`;
    };
    const fill = (b) => {
      if (hovered !== i) return;
      tip.replaceChildren();
      const t = document.createElement('div');
      t.textContent = b.text;
      const m = document.createElement('div');
      m.className = 'muted';
      m.textContent = [b.conference, b.year, b.addressee && `→ ${b.addressee}`, b.themes.join(', '), b.cluster && `кластер: ${b.cluster}`].filter(Boolean).join(' · ');
      tip.append(t, m);
      tip.hidden = false;
      place();
    };
    if (briefs.has(id)) return fill(briefs.get(id));
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(async () => {
      const res = await fetch(`/api/rec/${encodeURIComponent(id)}/brief`);
      if (!res.ok) return;
      const b = await res.json();
      briefs.set(id, b);
      fill(b);
    }, 60);
  }

  const pos = (e) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  canvas.addEventListener('mousedown', (e) => {
    const p = pos(e);
    drag = { x0: p.x, y0: p.y, x1: p.x, y1: p.y, pan: e.shiftKey, tx: view.tx, ty: view.ty };
  });
  window.addEventListener('mousemove', (e) => {
    if (!data) return;
    const p = pos(e);
    if (drag) {
      drag.x1 = p.x;
      drag.y1 = p.y;
      if (drag.pan) {
        view.tx = drag.tx + (p.x - drag.x0);
        view.ty = drag.ty + (p.y - drag.y0);
        render();
      } else paint(drag);
      return;
    }
    if (e.target === canvas) showTip(nearest(p.x, p.y), p.x, p.y);
  });
  window.addEventListener('mouseup', () => {
    if (!drag) return;
    const d = drag;
    drag = null;
    if (d.pan) return;
    if (Math.abs(d.x1 - d.x0) < 4 && Math.abs(d.y1 - d.y0) < 4) {
      const i = nearest(d.x0, d.y0);
      if (i >= 0) location.href = `/rec/${encodeURIComponent(data.ids[i])}`;
      else paint();
      return;
    }
    selection = [fromX(Math.min(d.x0, d.x1)), fromY(Math.max(d.y0, d.y1)), fromX(Math.max(d.x0, d.x1)), fromY(Math.min(d.y0, d.y1))].map((v) => Number(v.toFixed(4)));
    const p = new URLSearchParams(location.search);
    p.set('bbox', selection.join(','));
    history.replaceState(null, '', `${location.pathname}?${p}`);
    paint();
    loadSelection();
  });
  canvas.addEventListener('mouseleave', () => showTip(-1));
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const p = pos(e);
    const f = e.deltaY < 0 ? 1.25 : 0.8;
    const k = Math.min(200, Math.max(0.5, view.k * f));
    const g = k / view.k;
    view.tx = p.x - dims.w / 2 - (p.x - dims.w / 2 - view.tx) * g;
    view.ty = p.y - dims.h / 2 - (p.y - dims.h / 2 - view.ty) * g;
    view.k = k;
    render();
  }, { passive: false });
  canvas.addEventListener('dblclick', () => {
    view = { ...home };
    render();
  });
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && selection) {
      selection = null;
      const p = new URLSearchParams(location.search);
      p.delete('bbox');
      history.replaceState(null, '', `${location.pathname}${p.size ? `?${p}` : ''}`);
      side.replaceChildren();
      empty.hidden = false;
      paint();
    }
  });
  colourSel.addEventListener('change', () => {
    const p = new URLSearchParams(location.search);
    if (colourSel.value === 'theme') p.delete('colour');
    else p.set('colour', colourSel.value);
    history.replaceState(null, '', `${location.pathname}${p.size ? `?${p}` : ''}`);
    load();
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      dims = size();
      render();
    }, 150);
  });

  // The selection as the other views see it: the same filters plus the bbox.
  async function loadSelection() {
    const p = new URLSearchParams(location.search);
    p.delete('colour');
    p.set('bbox', selection.join(','));
    const res = await fetch(`/search?${p}&format=json`);
    const body = await res.json();
    empty.hidden = true;
    side.replaceChildren();
    if (!res.ok) {
      side.textContent = body.detail || 'Не удалось загрузить выделение.';
      return;
    }
    const head = document.createElement('p');
    head.innerHTML = `<strong>${body.total.toLocaleString('ru-RU')}</strong> рекомендаций в выделенной области`;
    const links = document.createElement('p');
    for (const [href, label] of [['/search', 'в поиске'], ['/trends', 'тренды'], ['/groups', 'повторы'], ['/conferences', 'конференции']]) {
      if (href === '/conferences') continue;
      const a = document.createElement('a');
      a.href = `${href}?${p}`;
      a.textContent = label;
      a.dataset.link = href.slice(1);
      links.append(a, ' · ');
    }
    links.lastChild?.remove();
    const themes = body.facets.find((f) => f.key === 'theme');
    const list = document.createElement('ul');
    for (const v of (themes?.values || []).filter((v) => v.count > 0).slice(0, 6)) {
      const li = document.createElement('li');
      li.textContent = `${v.label}: ${v.count.toLocaleString('ru-RU')}`;
      list.append(li);
    }
    const hits = document.createElement('ol');
    hits.className = 'hits';
    for (const hit of body.hits.slice(0, 8)) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `/rec/${encodeURIComponent(hit.rec_id)}`;
      a.textContent = hit.text.length > 160 ? `${hit.text.slice(0, 159)}…` : hit.text;
      const m = document.createElement('div');
      m.className = 'muted small';
      m.textContent = [hit.conference, hit.year].filter(Boolean).join(', ');
      li.append(a, m);
      hits.append(li);
    }
    side.append(head, links, list, hits);
  }

  load();
}
