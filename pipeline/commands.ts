import type { CommandSpec } from './command.js';

/**
 * Every CLI command, in the order `confrec --help` lists them. A new command is one file in its
 * stage's folder (exporting a CommandSpec) plus one line here.
 */
export const COMMANDS: CommandSpec[] = [];
