import { GlassmechError } from "../core/errors.js";

/**
 * Element symbols written as the extended-XYZ `species` of our particle types, so that ASE and
 * OVITO (which accept only chemical symbols there) read our files as they are.
 *
 * The mapping is by type index: type t is written as the element of atomic number Z = t + 1
 * (type 0 = A = small → H, type 1 = B = large → He, …; POLY has the one type 0 → H). The symbol
 * carries no physics: the `type:I:1` column (and `radius:R:1` for POLY) is the truth and wins on
 * reading. Files without a type column are mapped back through the same table (after the model's
 * own names A/B and S/L, see rawFrame.ts).
 */
const SYMBOLS = [
  "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
  "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
] as const;

/** The element symbol written for type t (0-based). */
export function elementOfType(t: number): string {
  const s = SYMBOLS[t];
  if (s === undefined) throw new GlassmechError(`type ${t}: only ${SYMBOLS.length} types have an element symbol for extended XYZ`);
  return s;
}

/** The type whose element symbol this is (exact case, as ASE writes it), or −1. */
export function typeOfElement(symbol: string): number {
  return (SYMBOLS as readonly string[]).indexOf(symbol);
}

/** Number of types the table covers. */
export const ELEMENT_TYPES = SYMBOLS.length;
