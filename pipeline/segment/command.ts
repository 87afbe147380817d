import { stageCommand } from '../command.js';
import { segmentStage } from './stage.js';

export const segmentCommand = stageCommand(segmentStage, {
  summary: 'split every ingested resolution into recommendations',
  usage: 'confrec segment [--all] [--db FILE]',
});
