/** "v ± e" for text output; just "v" when the error is undefined (NaN: one glass, one sample). */
export function withError(value: number, stdError: number | null | undefined, digits = 5): string {
  const v = value.toPrecision(digits);
  return stdError === null || stdError === undefined || !Number.isFinite(stdError) ? v : `${v} ± ${stdError.toPrecision(2)}`;
}
