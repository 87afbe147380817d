declare module 'az' {
  interface AzTag {
    POS?: string;
    CAse?: string;
    NMbr?: string;
    GNdr?: string;
    [grammeme: string]: unknown;
    toString(): string;
  }
  interface AzParse {
    word: string;
    tag: AzTag;
    score: number;
    parser?: string;
    normalize(keepPOS?: boolean): AzParse;
    inflect(grammemes: string[] | Record<string, unknown> | number): AzParse | false;
    matches(tag: string[] | Record<string, unknown>): boolean;
    toString(): string;
  }
  interface AzMorph {
    (word: string, config?: Record<string, unknown>): AzParse[];
    init(path: string, callback: (err?: unknown) => void): void;
  }
  const Az: { Morph: AzMorph };
  export default Az;
}
