// Formatting of numbers, times and durations for display.

const nf = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export function num(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return (digits === 0 ? nf : digits === 1 ? nf1 : nf2).format(n);
}

/** 1234567 → "1.2 M" */
export function compact(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const a = Math.abs(n);
  if (a >= 1e9) return `${nf1.format(n / 1e9)} G`;
  if (a >= 1e6) return `${nf1.format(n / 1e6)} M`;
  if (a >= 1e4) return `${nf1.format(n / 1e3)} k`;
  return num(n, a < 10 && !Number.isInteger(n) ? 2 : 0);
}

export function pct(ratio, digits = 1) {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(ratio * 100)} %`;
}

export function ms(millis) {
  if (millis === null || millis === undefined || Number.isNaN(millis)) return '—';
  if (millis >= 10_000) return `${nf1.format(millis / 1000)} s`;
  return `${millis >= 100 ? nf.format(millis) : nf1.format(millis)} ms`;
}

export function micros(us) {
  if (us === null || us === undefined) return '—';
  return ms(us / 1000);
}

const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const tf = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dtf.format(d);
}

const df = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function date(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : df.format(d);
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : tf.format(d);
}

/** "3 min ago", "in 2 h" */
export function ago(iso) {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return String(iso);
  const s = Math.round((t - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
  const a = Math.abs(s);
  if (a < 60) return rtf.format(s, 'second');
  if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

/** Seconds of an ISO-8601 duration such as PT1M, PT15M, PT1H, P1D. */
export function durationSeconds(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(iso || '');
  if (!m) return null;
  return (+m[1] || 0) * 86400 + (+m[2] || 0) * 3600 + (+m[3] || 0) * 60 + (+m[4] || 0);
}

/** PT1H → "1 hour", PT15M → "15 minutes". */
export function durationLabel(iso) {
  const s = durationSeconds(iso);
  if (s === null) return iso || '';
  if (s % 86400 === 0) return s === 86400 ? '1 day' : `${s / 86400} days`;
  if (s % 3600 === 0) return s === 3600 ? '1 hour' : `${s / 3600} hours`;
  if (s % 60 === 0) return s === 60 ? '1 minute' : `${s / 60} minutes`;
  return `${s} s`;
}

export function seconds(s) {
  if (s === null || s === undefined) return '—';
  if (s < 120) return `${num(s)} s`;
  if (s < 7200) return `${num(s / 60, 1)} min`;
  return `${num(s / 3600, 1)} h`;
}

export function bytes(b) {
  if (b === null || b === undefined) return '—';
  if (b >= 1 << 20) return `${nf1.format(b / (1 << 20))} MiB`;
  if (b >= 1 << 10) return `${nf1.format(b / (1 << 10))} KiB`;
  return `${nf.format(b)} B`;
}
