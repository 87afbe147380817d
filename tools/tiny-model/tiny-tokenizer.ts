/**
 * A small WordPiece tokenizer (tokenizer.json + tokenizer_config.json, Hugging Face format) for
 * Russian and Latin text, built from a sample corpus: every character (alone and as `##` continuation,
 * so no word is ever unknown), the most frequent words, word beginnings and word endings.
 */

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

export interface VocabOptions {
  words: number;
  prefixes: number;
  suffixes: number;
}

const BASE_ALPHABET = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyz0123456789';

/** Words as BertPreTokenizer sees them after lower-casing: runs of letters and digits. */
function corpusWords(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of texts) for (const m of t.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) out.push(m[0]);
  return out;
}

function topByCount(counts: Map<string, number>, n: number, minCount = 2): string[] {
  return [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([w]) => w);
}

/** Deterministic vocabulary: specials, characters, then frequent words, prefixes and `##` suffixes. */
export function buildVocab(texts: readonly string[], opts: VocabOptions): string[] {
  const vocab: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(vocab);
  const add = (t: string) => {
    if (!seen.has(t)) {
      seen.add(t);
      vocab.push(t);
    }
  };
  const chars = new Set<string>(Array.from(BASE_ALPHABET));
  for (const t of texts) for (const ch of t.toLowerCase()) if (!/\s/u.test(ch)) chars.add(ch);
  const sortedChars = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  for (const ch of sortedChars) add(ch);
  for (const ch of sortedChars) add('##' + ch);

  const words = corpusWords(texts);
  const wordCounts = new Map<string, number>();
  const prefixCounts = new Map<string, number>();
  const suffixCounts = new Map<string, number>();
  for (const w of words) {
    const cs = Array.from(w);
    if (cs.length >= 2) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
    for (let n = 3; n <= 5 && n < cs.length; n++) {
      const p = cs.slice(0, n).join('');
      prefixCounts.set(p, (prefixCounts.get(p) ?? 0) + 1);
    }
    for (let n = 2; n <= 4 && n < cs.length; n++) {
      const s = '##' + cs.slice(cs.length - n).join('');
      suffixCounts.set(s, (suffixCounts.get(s) ?? 0) + 1);
    }
  }
  for (const w of topByCount(wordCounts, opts.words)) add(w);
  for (const p of topByCount(prefixCounts, opts.prefixes)) add(p);
  for (const s of topByCount(suffixCounts, opts.suffixes)) add(s);
  return vocab;
}

/** tokenizer.json for a BERT-style WordPiece tokenizer over `vocab` (accents kept: й and ё matter). */
export function tokenizerJson(vocab: readonly string[]): Record<string, unknown> {
  const id = (t: string) => vocab.indexOf(t);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', id('[SEP]')], cls: ['[CLS]', id('[CLS]')] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

export function tokenizerConfigJson(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: false,
    tokenize_chinese_chars: true,
    model_max_length: maxLength,
    padding_side: 'right',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
    clean_up_tokenization_spaces: true,
  };
}
