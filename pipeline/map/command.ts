import { stageCommand } from '../command.js';
import { mapStage } from './stage.js';

export const mapCommand = stageCommand(mapStage, {
  summary: 'lay out every recommendation on a 2D map for the explorer (deterministic for a seed)',
  usage: 'confrec map [--all] [--db FILE]',
});
