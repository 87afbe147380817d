import { defineRule } from './registry.js';

export const CORRECTION_BOUNDS = defineRule({
  id: 'correction.bounds',
  family: 'corrections',
  role: 'lead-in',
  summary: 'A `name.segments.json` beside the document sets where the operative part starts and/or ends (a line number or a quoted text); outside it nothing is taken, inside it the rules run as if a lead-in opened it.',
  example: '{"operative": {"start": "По итогам работы", "end": {"line": 80}}}',
});

export const CORRECTION_EDIT = defineRule({
  id: 'correction.edit',
  family: 'corrections',
  role: 'item',
  summary: 'Hand corrections of items: drop, merge, split, add, or fix the addressee of an item named by a quoted text or the line it starts on. Corrected items are marked `corrected`.',
  example: '{"drop": ["Провести конференцию в 2026 году"], "addressee": [{"item": "рассмотреть возможность", "addressee": "Министерство просвещения Российской Федерации"}]}',
});
