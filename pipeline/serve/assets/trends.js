// Trends page: the theme shares by year drawn with Observable Plot (global `Plot` from /vendor/plot.js,
// which needs the global `d3` from /vendor/d3.js). Data come with the page; hover shows the numbers.
const el = document.getElementById('trend-data');
const box = document.querySelector('#trend-chart .chart-box');
if (el && box && window.Plot) {
  const { themes, years, minDocs } = JSON.parse(el.textContent);
  const rows = [];
  for (const y of years) {
    for (const t of themes) {
      const n = y.counts[t.id] ?? 0;
      rows.push({ year: y.year, theme: t.label, share: y.recs ? n / y.recs : 0, n, recs: y.recs, docs: y.docs, few: y.docs < minDocs });
    }
  }
  const draw = () => {
    box.replaceChildren();
    if (rows.length === 0) {
      box.textContent = 'Нет рекомендаций с годом для этих фильтров.';
      return;
    }
    const chart = Plot.plot({
      width: Math.max(320, box.clientWidth || 700),
      height: 340,
      marginLeft: 48,
      marginBottom: 40,
      x: { label: 'Год', tickFormat: (d) => String(d), ticks: Math.min(years.length, 12) },
      y: { label: 'Доля рекомендаций, %', percent: true, grid: true, nice: true },
      color: { domain: themes.map((t) => t.label), range: themes.map((t) => t.color) },
      marks: [
        Plot.ruleY([0]),
        Plot.lineY(rows, { x: 'year', y: 'share', stroke: 'theme', strokeWidth: 2 }),
        Plot.dot(rows, { x: 'year', y: 'share', stroke: 'theme', fill: (d) => (d.few ? 'white' : d.theme), r: 3.5 }),
        Plot.tip(rows, Plot.pointer({
          x: 'year',
          y: 'share',
          title: (d) => `${d.theme}\n${d.year}: ${(100 * d.share).toFixed(1)}% (${d.n} из ${d.recs})\nдокументов: ${d.docs}${d.few ? ' — мало, доля ненадёжна' : ''}`,
        })),
      ],
    });
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', 'Доля рекомендаций по темам по годам');
    box.append(chart);
  };
  draw();
  let t;
  window.addEventListener('resize', () => {
    clearTimeout(t);
    t = setTimeout(draw, 150);
  });
}
