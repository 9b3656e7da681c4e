import type { Configuration } from "../../src/core/configuration.js";
import type { Model } from "../../src/models/types.js";
import type { SolveReport } from "../../src/registry/context.js";
import type { DipoleRecord } from "../../src/registry/entries/dipoles.js";
import { measureGlass } from "../../src/registry/measure.js";
import type { Options } from "../../src/registry/types.js";

/** The keys the tests read with their types; the rest loosely typed for assertions. */
export interface Measured {
  solves: SolveReport[];
  dipoles?: DipoleRecord[];
  frequencies?: number[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** The per-glass result of the registry's measurement. */
export function measured(config: Configuration, model: Model, options: Options = {}): Measured {
  return measureGlass(config, model, options).result as Measured;
}
