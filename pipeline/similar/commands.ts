import type { CommandSpec } from '../command.js';
import { compareCommand } from './compare-command.js';
import { duplicatesCommand } from './duplicates-command.js';
import { similarCommand } from './similar-command.js';

/** The search and comparison commands, in the order `confrec --help` lists them. */
export const SIMILAR_COMMANDS: CommandSpec[] = [similarCommand, duplicatesCommand, compareCommand];
