import { stageCommand } from '../command.js';
import { clustersStage } from './stage.js';

export const clustersCommand = stageCommand(clustersStage, {
  summary: 'discover recurring themes: cluster the recommendations (--clusterer), name each cluster (--labeler)',
  usage: 'confrec clusters [--all] [--clusterer kmeans] [--labeler ctfidf] [--db FILE]',
});
