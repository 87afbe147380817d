import { loadMorph, type Morph } from '../../pipeline/text/morph.js';

let morph: Morph | undefined;
/** Shared morphology for tests (dictionaries load once per worker). */
export async function testMorph(): Promise<Morph> {
  morph ??= await loadMorph();
  return morph;
}
