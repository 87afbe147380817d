import type { AnyStage } from './stages.js';
import { segmentStage } from './segment/stage.js';
import { addresseesStage } from './addressees/stage.js';
import { embedStage } from './embed/stage.js';
import { themesStage } from './themes/stage.js';
import { clustersStage } from './clusters/stage.js';
import { nearDuplicatesStage } from './similar/stage.js';
import { mapStage } from './map/stage.js';
import { recurringStage } from './recurring/stage.js';
import { reportStage } from './report/stage.js';

/**
 * The stages `confrec run` executes after ingest, in order. A new stage adds one entry here; its
 * flags, options, fingerprint and the stages it reads come with it (stages.ts).
 */
export const DOWNSTREAM_STAGES: AnyStage[] = [
  segmentStage,
  addresseesStage,
  embedStage,
  themesStage,
  clustersStage,
  nearDuplicatesStage,
  recurringStage,
  mapStage,
  reportStage,
];
