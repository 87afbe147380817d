import type { CommandSpec } from '../../command.js';
import { compareCommand } from './compare.js';
import { duplicatesCommand } from './duplicates.js';
import { similarCommand } from './similar.js';

/** The search and comparison commands, in the order `confrec --help` lists them. */
export const SIMILAR_COMMANDS: CommandSpec[] = [similarCommand, duplicatesCommand, compareCommand];
