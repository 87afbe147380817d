import type { CommandSpec } from './command.js';
import { runCommand } from './run/command.js';
import { ingestCommand } from './ingest/command.js';
import { segmentCommand } from './segment/command.js';
import { addresseesCommand } from './addressees/command.js';
import { embedCommand, modelCommand } from './embed/command.js';
import { themesCommand } from './themes/command.js';
import { clustersCommand } from './clusters/command.js';
import { statusCommand } from './status/command.js';
import { exportCommand } from './export/command.js';
import { evalCommand } from './eval/command.js';
import { synthCommand } from '../tools/synth/command.js';
import { SIMILAR_COMMANDS } from './similar/commands/index.js';
import { recurringCommand } from './recurring/command.js';
import { reportCommand } from './report/command.js';
import { mapCommand } from './map/command.js';
import { serveCommand } from './serve/command.js';
import { checkCommand } from './check/command.js';

/**
 * Every CLI command, in the order `confrec --help` lists them. A new command is one file in its
 * stage's folder (exporting a CommandSpec) plus one line here.
 */
export const COMMANDS: CommandSpec[] = [
  runCommand,
  ingestCommand,
  segmentCommand,
  addresseesCommand,
  embedCommand,
  modelCommand,
  themesCommand,
  clustersCommand,
  ...SIMILAR_COMMANDS,
  mapCommand,
  recurringCommand,
  reportCommand,
  serveCommand,
  checkCommand,
  statusCommand,
  exportCommand,
  evalCommand,
  synthCommand,
];
