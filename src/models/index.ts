/**
 * The model registry with every built-in model registered (SPEC §1). The rest of the code imports
 * models from here: `import { createModel } from "../models/index.js"`.
 * Adding a model: one file exporting a ModelDefinition, plus one `registerModel` line below.
 */
import { registerModel } from "./registry.js";
import { hrz } from "./hrz.js";
import { ipl } from "./ipl.js";
import { kablj } from "./kablj.js";
import { poly } from "./poly.js";
import { pss } from "./pss.js";
import { qss } from "./qss.js";

registerModel(qss);
registerModel(pss);
registerModel(ipl);
registerModel(poly);
registerModel(kablj);
registerModel(hrz);

export { createModel, modelDefinition, modelNames, registerModel } from "./registry.js";
export { formatDescriptor, parseDescriptor, type ModelDescriptor } from "../core/descriptor.js";
export type { Model, ModelDefinition, PairScales, ParameterSpec, ReducedPotential } from "./types.js";
