/**
 * Shows a form's field errors ({field: message}) and, when there are any, moves the focus to the first
 * bad field (its input's id is the prefix and the field name) and answers true.
 */
export function showFieldErrors(found, setErrors, idPrefix) {
  setErrors(found);
  const fields = Object.keys(found);
  if (fields.length === 0) return false;
  const el = document.getElementById(`${idPrefix}${fields[0]}`);
  if (el) el.focus();
  return true;
}
