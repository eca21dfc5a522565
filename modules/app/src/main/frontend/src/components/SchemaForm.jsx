// A form generated from a tool's JSON input schema: one labelled input per property (text, number,
// checkbox, select, a line per item for lists of strings or numbers, JSON for anything else), required
// marks, defaults, client-side checks, and a switch to edit the arguments as JSON.
import { useMemo, useState } from 'preact/hooks';

function typeOf(schema) {
  if (!schema || typeof schema !== 'object') return null;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') || null;
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return null;
}

/** How a property is edited. */
export function kindOf(schema) {
  if (!schema || typeof schema !== 'object') return 'json';
  if (schema.const !== undefined) return 'const';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  const t = typeOf(schema);
  if (t === 'string') return schema.format === 'textarea' || (schema.maxLength || 0) > 200 ? 'text' : 'string';
  if (t === 'integer' || t === 'number' || t === 'boolean') return t;
  if (t === 'array') {
    const it = typeOf(schema.items);
    if (it === 'string' && !schema.items.enum) return 'string-list';
    if (it === 'integer' || it === 'number') return 'number-list';
  }
  return 'json';
}

function initialValue(kind, schema) {
  const d = schema ? schema.default : undefined;
  switch (kind) {
    case 'boolean':
      return d === true;
    case 'enum':
      return d === undefined ? '' : String(schema.enum.findIndex((v) => v === d));
    case 'string-list':
    case 'number-list':
      return Array.isArray(d) ? d.join('\n') : '';
    case 'json':
      return d === undefined ? '' : JSON.stringify(d, null, 2);
    case 'const':
      return '';
    default:
      return d === undefined || d === null ? '' : String(d);
  }
}

function fieldsOf(schema) {
  const props = (schema && schema.properties) || {};
  const required = new Set(Array.isArray(schema && schema.required) ? schema.required : []);
  return Object.entries(props).map(([name, s]) => ({ name, schema: s || {}, kind: kindOf(s), required: required.has(name) }));
}

/** Turns the form's values into arguments; answers {args, errors}. */
export function buildArguments(fields, values, touched) {
  const args = {};
  const errors = {};
  for (const f of fields) {
    const v = values[f.name];
    const missing = () => {
      if (f.required) errors[f.name] = 'Required.';
    };
    switch (f.kind) {
      case 'const':
        args[f.name] = f.schema.const;
        break;
      case 'boolean':
        if (f.required || touched[f.name] || f.schema.default !== undefined) args[f.name] = !!v;
        break;
      case 'enum':
        if (v === '' || v === undefined) missing();
        else args[f.name] = f.schema.enum[Number(v)];
        break;
      case 'integer':
      case 'number': {
        const s = String(v ?? '').trim();
        if (s === '') {
          missing();
          break;
        }
        const n = Number(s);
        if (!Number.isFinite(n)) errors[f.name] = 'Enter a number.';
        else if (f.kind === 'integer' && !Number.isInteger(n)) errors[f.name] = 'Enter a whole number.';
        else if (f.schema.minimum !== undefined && n < f.schema.minimum) errors[f.name] = `At least ${f.schema.minimum}.`;
        else if (f.schema.maximum !== undefined && n > f.schema.maximum) errors[f.name] = `At most ${f.schema.maximum}.`;
        else args[f.name] = n;
        break;
      }
      case 'string-list':
      case 'number-list': {
        const items = String(v ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
        if (items.length === 0) {
          if (f.required) args[f.name] = [];
          break;
        }
        if (f.kind === 'number-list') {
          const nums = items.map(Number);
          if (nums.some((n) => !Number.isFinite(n))) errors[f.name] = 'One number per line.';
          else args[f.name] = nums;
        } else args[f.name] = items;
        break;
      }
      case 'json': {
        const s = String(v ?? '').trim();
        if (s === '') {
          missing();
          break;
        }
        try {
          args[f.name] = JSON.parse(s);
        } catch (e) {
          errors[f.name] = `Not valid JSON: ${e.message}`;
        }
        break;
      }
      default: {
        const s = String(v ?? '');
        if (s === '') {
          missing();
          break;
        }
        if (f.schema.minLength !== undefined && s.length < f.schema.minLength) errors[f.name] = `At least ${f.schema.minLength} characters.`;
        else if (f.schema.maxLength !== undefined && s.length > f.schema.maxLength) errors[f.name] = `At most ${f.schema.maxLength} characters.`;
        else args[f.name] = s;
      }
    }
  }
  return { args, errors };
}

function valuesFromArguments(fields, args) {
  const values = {};
  for (const f of fields) {
    const v = args[f.name];
    if (v === undefined) {
      values[f.name] = initialValue(f.kind, { ...f.schema, default: undefined });
      continue;
    }
    switch (f.kind) {
      case 'boolean':
        values[f.name] = !!v;
        break;
      case 'enum':
        values[f.name] = String(f.schema.enum.findIndex((e) => JSON.stringify(e) === JSON.stringify(v)));
        break;
      case 'string-list':
      case 'number-list':
        values[f.name] = Array.isArray(v) ? v.join('\n') : '';
        break;
      case 'json':
        values[f.name] = JSON.stringify(v, null, 2);
        break;
      default:
        values[f.name] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return values;
}

/**
 * @param schema    the tool's inputSchema
 * @param onSubmit  called with the arguments object
 * @param idPrefix  prefix of the inputs' ids (and data-testids: `${idPrefix}-${name}`)
 */
export function SchemaForm({ schema, onSubmit, busy = false, submitLabel = 'Call', idPrefix = 'arg', disabled = false, disabledReason }) {
  const fields = useMemo(() => fieldsOf(schema), [schema]);
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f.name, initialValue(f.kind, f.schema)])));
  const [touched, setTouched] = useState({});
  const [errors, setErrors] = useState({});
  const [raw, setRaw] = useState(null); // JSON text while editing as JSON
  const [rawError, setRawError] = useState(null);

  const set = (name, value) => {
    setValues((v) => ({ ...v, [name]: value }));
    setTouched((t) => ({ ...t, [name]: true }));
    if (errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
  };

  const toggleRaw = () => {
    if (raw === null) {
      setRaw(JSON.stringify(buildArguments(fields, values, touched).args, null, 2));
      setRawError(null);
      return;
    }
    try {
      const parsed = raw.trim() ? JSON.parse(raw) : {};
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the arguments must be a JSON object');
      setValues(valuesFromArguments(fields, parsed));
      setTouched(Object.fromEntries(Object.keys(parsed).map((k) => [k, true])));
      setRaw(null);
      setRawError(null);
    } catch (e) {
      setRawError(`Not valid JSON: ${e.message}`);
    }
  };

  const submit = (e) => {
    e.preventDefault();
    if (disabled) return;
    if (raw !== null) {
      try {
        const parsed = raw.trim() ? JSON.parse(raw) : {};
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the arguments must be a JSON object');
        setRawError(null);
        onSubmit(parsed);
      } catch (err) {
        setRawError(`Not valid JSON: ${err.message}`);
      }
      return;
    }
    const built = buildArguments(fields, values, touched);
    setErrors(built.errors);
    const first = Object.keys(built.errors)[0];
    if (first) {
      const el = document.getElementById(`${idPrefix}-${first}`);
      if (el) el.focus();
      return;
    }
    onSubmit(built.args);
  };

  return (
    <form class="schema-form" onSubmit={submit} noValidate data-testid="schema-form">
      {raw !== null ? (
        <div class="field">
          <label for={`${idPrefix}--json`}>Arguments (JSON object)</label>
          <textarea
            id={`${idPrefix}--json`}
            class="mono"
            rows={Math.min(20, Math.max(5, raw.split('\n').length + 1))}
            value={raw}
            onInput={(e) => setRaw(e.currentTarget.value)}
            aria-invalid={rawError ? 'true' : undefined}
            aria-describedby={rawError ? `${idPrefix}--json-error` : undefined}
            spellcheck={false}
          />
          {rawError && (
            <p class="field-error" id={`${idPrefix}--json-error`}>
              {rawError}
            </p>
          )}
        </div>
      ) : fields.length === 0 ? (
        <p class="muted">This tool takes no arguments.</p>
      ) : (
        fields.map((f) => (
          <SchemaField key={f.name} field={f} id={`${idPrefix}-${f.name}`} value={values[f.name]} error={errors[f.name]} onChange={(v) => set(f.name, v)} />
        ))
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || disabled} data-testid="call-tool">
          {busy ? 'Calling…' : submitLabel}
        </button>
        {fields.length > 0 && (
          <button type="button" class="btn btn-link" onClick={toggleRaw} aria-pressed={raw !== null ? 'true' : 'false'}>
            {raw !== null ? 'Edit as a form' : 'Edit as JSON'}
          </button>
        )}
        {disabled && disabledReason && <span class="muted small">{disabledReason}</span>}
      </div>
    </form>
  );
}

function SchemaField({ field, id, value, error, onChange }) {
  const { name, schema, kind, required } = field;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [schema.description || schema.title ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    'data-testid': id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? 'true' : undefined,
    'aria-required': required ? 'true' : undefined
  };
  const typeNote = {
    string: 'text', text: 'text', integer: 'whole number', number: 'number', boolean: 'true or false',
    enum: 'one of the options', 'string-list': 'one item per line', 'number-list': 'one number per line',
    json: 'JSON', const: 'fixed'
  }[kind];

  let input;
  switch (kind) {
    case 'boolean':
      return (
        <div class="field field-check">
          <input type="checkbox" {...common} checked={!!value} onChange={(e) => onChange(e.currentTarget.checked)} />
          <label for={id}>
            {name}
            {required && <span class="req" aria-hidden="true"> *</span>}
          </label>
          <Hint id={hintId} schema={schema} />
          {error && <p class="field-error" id={errorId}>{error}</p>}
        </div>
      );
    case 'const':
      input = <input type="text" {...common} value={JSON.stringify(schema.const)} readOnly />;
      break;
    case 'enum':
      input = (
        <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">{required ? '— choose —' : '— none —'}</option>
          {schema.enum.map((v, i) => (
            <option key={i} value={String(i)}>
              {typeof v === 'string' ? v : JSON.stringify(v)}
            </option>
          ))}
        </select>
      );
      break;
    case 'integer':
    case 'number':
      input = (
        <input
          type="number"
          inputMode={kind === 'integer' ? 'numeric' : 'decimal'}
          step={kind === 'integer' ? '1' : 'any'}
          min={schema.minimum}
          max={schema.maximum}
          {...common}
          value={value}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
      break;
    case 'text':
    case 'string-list':
    case 'number-list':
    case 'json':
      input = (
        <textarea
          {...common}
          class={kind === 'json' ? 'mono' : undefined}
          rows={kind === 'json' ? 5 : 3}
          value={value}
          spellcheck={kind === 'text'}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
      break;
    default:
      input = (
        <input
          type={schema.format === 'uri' ? 'url' : schema.format === 'email' ? 'email' : 'text'}
          {...common}
          value={value}
          autoComplete="off"
          spellcheck={false}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
  return (
    <div class="field">
      <label for={id}>
        {name}
        {required && <span class="req" aria-hidden="true"> *</span>}
        <span class="field-type"> {typeNote}</span>
      </label>
      {input}
      <Hint id={hintId} schema={schema} />
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

function Hint({ id, schema }) {
  const text = [schema.title, schema.description].filter(Boolean).join(' — ');
  if (!text) return null;
  return (
    <p class="hint" id={id}>
      {text}
    </p>
  );
}
