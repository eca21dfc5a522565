// A modal dialog on the native <dialog> element: focus moves into it, Escape closes it, focus returns
// to what opened it.
import { useEffect, useRef } from 'preact/hooks';

let counter = 0;

export function Dialog({ title, onClose, children, footer, testid, wide = false }) {
  const ref = useRef(null);
  const id = useRef(`dialog-${++counter}`);
  const opener = useRef(typeof document !== 'undefined' ? document.activeElement : null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    const previous = opener.current;
    return () => {
      if (previous && typeof previous.focus === 'function' && document.contains(previous)) previous.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={`${id.current}-title`}
      data-testid={testid}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={`${id.current}-title`}>{title}</h2>
        <button type="button" class="btn btn-icon" aria-label="Close" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div class="dialog-body">{children}</div>
      {footer && <div class="dialog-foot">{footer}</div>}
    </dialog>
  );
}

/** Asks before something that cannot be undone. */
export function Confirm({ title, children, confirmLabel, danger = true, busy, error, onConfirm, onCancel, testid }) {
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      testid={testid}
      footer={
        <>
          <button type="button" class="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" class={danger ? 'btn btn-danger' : 'btn btn-primary'} onClick={onConfirm} disabled={busy} data-testid="confirm">
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      {error}
    </Dialog>
  );
}
