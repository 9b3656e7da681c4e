/**
 * A viewer page of one glass with the requested fields: what `glassmech view` (src/cli/view.ts)
 * and the report's per-ensemble views (src/view/ensembleViews.ts) both call.
 */
import type { Configuration } from "../core/configuration.js";
import { writeFileAtomic } from "../io/text.js";
import { createModel } from "../models/index.js";
import { prepareGlass } from "../observables/prepare.js";
import { dipoleField, fieldGlass, fileField, modeField, softestDipoleField } from "./fields.js";
import { viewerHtml } from "./html.js";
import { buildViewData, type ViewField } from "./scene.js";

export interface GlassViewRequest {
  readonly title: string;
  /** Modes to show, 1 = softest. */
  readonly modes?: readonly number[];
  /** Dipole responses of these particle pairs (0-based indices). */
  readonly dipoles?: readonly (readonly [number, number])[];
  /** Also the softest response of this many seeded random dipoles. */
  readonly softestDipoleOf?: number;
  /** Fields from files (Matrix Market vectors or extended-XYZ columns). */
  readonly files?: readonly { path: string; label: string; column?: string }[];
  /** Largest per-particle force accepted as a minimum (modes and dipoles need one). */
  readonly forceTolerance?: number;
  /** 4D slice thickness. */
  readonly slice?: number;
  /** Seed of the random dipoles (default 1). */
  readonly seed?: number;
}

export interface GlassView {
  readonly html: string;
  readonly fields: readonly ViewField[];
}

/** Computes the fields and builds the page (no file written). */
export function glassView(config: Configuration, request: GlassViewRequest): GlassView {
  const model = createModel(config.model);
  const fields: ViewField[] = [];
  const needsHessian = (request.modes?.length ?? 0) > 0 || (request.dipoles?.length ?? 0) > 0 || (request.softestDipoleOf ?? 0) > 0;
  if (needsHessian) {
    const fg = fieldGlass(prepareGlass(config, model, { forceTolerance: request.forceTolerance }));
    for (const k of request.modes ?? []) fields.push(modeField(fg, k));
    for (const [i, j] of request.dipoles ?? []) fields.push(dipoleField(fg, i, j));
    if ((request.softestDipoleOf ?? 0) > 0) fields.push(softestDipoleField(fg, request.softestDipoleOf!, request.seed ?? 1));
  }
  for (const f of request.files ?? []) fields.push(fileField(f.path, config.n, config.d, f.label, f.column));
  const html = viewerHtml(buildViewData(config, model, fields, { title: request.title, slice: request.slice }));
  return { html, fields };
}

/** Writes the page to `path` (atomically); returns what it shows. */
export function writeGlassView(path: string, config: Configuration, request: GlassViewRequest): GlassView {
  const v = glassView(config, request);
  writeFileAtomic(path, v.html);
  return v;
}
