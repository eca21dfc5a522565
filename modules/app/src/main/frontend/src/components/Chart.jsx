// Charts drawn by uPlot on a canvas that follows its container's width. The canvas is hidden from
// assistive technology; a caption, a one-line summary and the data as a table stand in for it.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';

let counter = 0;

export const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * A time-series chart.
 * @param x         bucket times in seconds since the epoch (or category indexes with `categories`)
 * @param series    [{label, values, color, format, bars}]
 * @param format    formats a y value for axis and table
 * @param categories labels of the x values (a category chart: days, names)
 */
export function Chart({ title, x, series, height = 200, format = (v) => String(v), summary, testid, categories, yMin = 0 }) {
  const box = useRef(null);
  const plot = useRef(null);
  const [id] = useState(() => `chart-${++counter}`);
  const shape = series.map((s) => `${s.label}/${s.bars ? 'b' : 'l'}`).join('|') + (categories ? `#${categories.join(',')}` : '');

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const axisColor = cssVar('--muted', '#5b6474');
    const gridColor = cssVar('--grid', '#e5e7eb');
    const axisFont = '12px system-ui, sans-serif';
    const fmtAxis = (u, vals) => vals.map((v) => (v === null ? '' : format(v)));
    const xAxis = categories
      ? {
          stroke: axisColor, font: axisFont, grid: { show: false }, ticks: { stroke: gridColor },
          values: (u, vals) => {
            // as many labels as fit: every label, every other one …
            const widest = Math.max(...categories.map((c) => String(c).length));
            const every = Math.max(1, Math.ceil((categories.length * (widest * 7 + 14)) / Math.max(u.width - 70, 1)));
            return vals.map((v) => (Number.isInteger(v) && categories[v] !== undefined && v % every === 0 ? categories[v] : ''));
          },
          splits: () => categories.map((_, i) => i)
        }
      : { stroke: axisColor, font: axisFont, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    const opts = {
      width: Math.max(el.clientWidth, 200),
      height,
      padding: [12, 12, 0, 4],
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: categories ? { time: false, range: [-0.5, categories.length - 0.5] } : { time: true },
        y: { range: (u, min, max) => [Math.min(yMin ?? min, min), max > 0 ? max * 1.1 : 1] }
      },
      axes: [
        xAxis,
        { stroke: axisColor, font: axisFont, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, values: fmtAxis, size: 56 }
      ],
      series: [
        { label: categories ? 'category' : 'time', value: categories ? (u, v) => (v === null ? '' : categories[v]) : undefined },
        ...series.map((s, i) => {
          const color = s.color || COLORS[i % COLORS.length];
          return {
            label: s.label,
            stroke: color,
            width: s.bars ? 0 : 2,
            fill: s.bars ? color : `${color}1f`,
            // a value with no neighbour draws no line: show it as a dot
            points: s.bars
              ? { show: false }
              : {
                  show: true,
                  size: 6,
                  fill: color,
                  filter: (u, si) => {
                    const d = u.data[si];
                    const lone = [];
                    for (let k = 0; k < d.length; k++) {
                      if (d[k] !== null && d[k] !== undefined && (k === 0 || d[k - 1] == null) && (k === d.length - 1 || d[k + 1] == null)) lone.push(k);
                    }
                    return lone;
                  }
                },
            spanGaps: false,
            value: (u, v) => (v === null || v === undefined ? '—' : format(v)),
            paths: s.bars ? uPlot.paths.bars({ size: [0.6, 64], align: 0 }) : undefined
          };
        })
      ]
    };
    const u = new uPlot(opts, [x, ...series.map((s) => s.values)], el);
    u.root.setAttribute('aria-hidden', 'true');
    plot.current = u;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const w = Math.max(el.clientWidth, 200);
        if (w !== u.width) u.setSize({ width: w, height });
      });
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height]);

  useEffect(() => {
    if (plot.current) plot.current.setData([x, ...series.map((s) => s.values)]);
  }, [x, series]);

  const label = (v, i) => (categories ? categories[i] : new Date(v * 1000).toLocaleString());
  return (
    <figure class="chart" data-testid={testid} aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>
        <span class="chart-title">{title}</span>
        {summary && <span class="chart-summary" data-testid={testid && `${testid}-summary`}>{summary}</span>}
      </figcaption>
      <div class="chart-canvas" ref={box} />
      <details class="chart-data">
        <summary>Data table</summary>
        <div class="table-wrap">
          <table class="table table-compact">
            <caption class="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{categories ? '' : 'Time'}</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {x.map((v, i) => (
                <tr key={i}>
                  <th scope="row">{label(v, i)}</th>
                  {series.map((s) => (
                    <td key={s.label} class="num">
                      {s.values[i] === null || s.values[i] === undefined ? '—' : format(s.values[i])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Horizontal bars for a few categories (models, roles): a list that reads as well as it looks. */
export function BarList({ title, items, format = (v) => String(v), testid, empty = 'Nothing yet.' }) {
  const max = Math.max(0, ...items.map((i) => i.value));
  return (
    <figure class="chart barlist" data-testid={testid}>
      <figcaption>
        <span class="chart-title">{title}</span>
      </figcaption>
      {items.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.label}>
              <span class="bar-label">{item.label || '(none)'}</span>
              <span class="bar-track" aria-hidden="true">
                <Bar share={max > 0 ? item.value / max : 0} color={item.color || COLORS[0]} />
              </span>
              <span class="bar-value">{format(item.value)}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

/** A bar whose length and colour are set through the DOM (CSSOM), never a style attribute. */
function Bar({ share, color }) {
  const ref = useRef(null);
  useEffect(() => {
    if (!ref.current) return;
    ref.current.style.width = `${Math.max(0, Math.min(1, share)) * 100}%`;
    ref.current.style.backgroundColor = color;
  }, [share, color]);
  return <span class="bar-fill" ref={ref} />;
}
