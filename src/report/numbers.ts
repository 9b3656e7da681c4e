/** Number formats shared by the report's sections. */

/** Three significant digits, "–" for a missing (non-finite) number. */
export const p3 = (v: number): string => (Number.isFinite(v) ? String(+v.toPrecision(3)) : "–");

/** "value ± error" to three digits each, "–" when absent. */
export const plusMinus = (v: { value: number; stdError: number } | undefined): string => (v === undefined ? "–" : `${p3(v.value)} ± ${p3(v.stdError)}`);
