/** Number formats shared by the text outputs, the registry entries and the report sections. */

/** Three significant digits, "–" for a missing (non-finite) number. */
export const p3 = (v: number): string => (Number.isFinite(v) ? String(+v.toPrecision(3)) : "–");

/** "value ± error" to three digits each, "–" when absent. */
export const plusMinus = (v: { value: number; stdError: number } | undefined): string => (v === undefined ? "–" : `${p3(v.value)} ± ${p3(v.stdError)}`);

/** "v ± e" for text output; just "v" when the error is undefined (NaN: one glass, one sample). */
export function withError(value: number, stdError: number | null | undefined, digits = 5): string {
  const v = value.toPrecision(digits);
  return stdError === null || stdError === undefined || !Number.isFinite(stdError) ? v : `${v} ± ${stdError.toPrecision(2)}`;
}

/** `[key, "v ± e"]` lines of the ensemble values among `keys` that are present ({ value, stdError }). */
export function valueLines(s: Record<string, unknown>, keys: readonly string[]): [string, string][] {
  return keys.flatMap((k) => {
    const v = s[k] as { value?: unknown; stdError?: number } | undefined;
    return v !== undefined && v !== null && typeof v.value === "number" ? [[k, withError(v.value, v.stdError)] as [string, string]] : [];
  });
}
