import { describe, it, expect } from 'vitest';
import { canonicalJson, compareFingerprints, fingerprintKey, valueFingerprint, type Fingerprint } from '../../pipeline/store/freshness.js';
import { effectiveStatus } from '../../pipeline/store/runs.js';
import { choiceFlag, numberFlag } from '../../pipeline/flags.js';
import { UsageError } from '../../pipeline/errors.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';

const fp = (inputs: Record<string, unknown>, config: Record<string, unknown>): Fingerprint => ({ inputs, config });

describe('fingerprints: the one comparison of a stage with its last run', () => {
  const last = fp({ recommendations: 'abc', segment_run: 4 }, { version: 'similar-3', synonyms: '11aa', threshold: 0.786 });

  it('equal fingerprints are fresh, whatever the key order', () => {
    const now = fp({ segment_run: 4, recommendations: 'abc' }, { threshold: 0.786, synonyms: '11aa', version: 'similar-3' });
    expect(compareFingerprints(last, now)).toEqual({ status: 'fresh', changed: [] });
    expect(fingerprintKey(now)).toBe(fingerprintKey(last));
  });

  it('a changed data file (synonyms) is a config change: recompute everything', () => {
    const now = fp(last.inputs, { ...last.config, synonyms: '22bb' });
    expect(compareFingerprints(last, now)).toEqual({ status: 'config-changed', changed: ['config.synonyms'] });
    expect(fingerprintKey(now)).not.toBe(fingerprintKey(last));
  });

  it('changed inputs with the same config allow an incremental update', () => {
    const now = fp({ recommendations: 'abd', segment_run: 5 }, last.config);
    expect(compareFingerprints(last, now)).toEqual({ status: 'inputs-changed', changed: ['inputs.recommendations', 'inputs.segment_run'] });
  });

  it('a config change wins over an input change, and a part that appears or disappears counts', () => {
    const now = fp({ recommendations: 'abd', segment_run: 5 }, { ...last.config, method: 'lsh' });
    expect(compareFingerprints(last, now)).toEqual({ status: 'config-changed', changed: ['config.method'] });
    const { threshold: _dropped, ...rest } = last.config;
    expect(compareFingerprints(last, fp(last.inputs, rest)).changed).toEqual(['config.threshold']);
  });

  it('no recorded fingerprint (never ran, or a run of an older confrec) means never-ran', () => {
    expect(compareFingerprints(null, last)).toEqual({ status: 'never-ran', changed: [] });
  });

  it('canonical JSON and value fingerprints ignore key order but not values', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(valueFingerprint({ a: 1, b: 2 })).toBe(valueFingerprint({ b: 2, a: 1 }));
    expect(valueFingerprint({ a: 1, b: 2 })).not.toBe(valueFingerprint({ a: 1, b: 3 }));
    expect(valueFingerprint([1, 2])).not.toBe(valueFingerprint([2, 1]));
  });
});

describe('a run whose process is gone is interrupted', () => {
  const here = 'this-host';
  it('running with a dead pid on this machine → interrupted; alive → running', () => {
    expect(effectiveStatus({ status: 'running', pid: 123, host: here }, () => false, here)).toBe('interrupted');
    expect(effectiveStatus({ status: 'running', pid: 123, host: here }, () => true, here)).toBe('running');
  });

  it('other statuses, another machine and runs recorded without a pid are left as recorded', () => {
    const dead = () => false;
    for (const status of ['ok', 'failed', 'interrupted']) expect(effectiveStatus({ status, pid: 1, host: here }, dead, here)).toBe(status);
    expect(effectiveStatus({ status: 'running', pid: 1, host: 'other-host' }, dead, here)).toBe('running');
    expect(effectiveStatus({ status: 'running', pid: null, host: null }, dead, here)).toBe('running');
  });

  it('checks the real process table by default', () => {
    expect(effectiveStatus({ status: 'running', pid: process.pid, host: null })).toBe('running');
    // Pids are at most 2^22 on Linux: this one is never alive.
    expect(effectiveStatus({ status: 'running', pid: 2 ** 22 + 7, host: null })).toBe('interrupted');
  });
});

describe('stages declare their options, flags and freshness', () => {
  it('every stage parses its own flags into typed options, with defaults when none are given', () => {
    for (const stage of DOWNSTREAM_STAGES) {
      expect(stage.refresh, stage.name).toMatch(/^confrec [a-z]+$/);
      for (const up of stage.after) expect(DOWNSTREAM_STAGES.findIndex((s) => s.name === up), `${stage.name} after ${up}`).toBeLessThan(DOWNSTREAM_STAGES.indexOf(stage));
      expect(typeof stage.parseOptions({})).toBe('object');
    }
    const similar = DOWNSTREAM_STAGES.find((s) => s.name === 'similar')!;
    expect(similar.parseOptions({ threshold: '0.9', method: 'lsh', 'lsh-bands': '12' })).toMatchObject({ threshold: 0.9, method: 'lsh', lsh: { bands: 12 }, all: false });
    expect(() => similar.parseOptions({ threshold: '1.5' })).toThrow(UsageError);
    expect(() => similar.parseOptions({ threshold: '0' })).toThrow(/above 0/);
    expect(() => similar.parseOptions({ method: 'magic' })).toThrow(/unknown method "magic"/);
    const clusters = DOWNSTREAM_STAGES.find((s) => s.name === 'clusters')!;
    expect(clusters.parseOptions({})).toMatchObject({ clusterer: 'kmeans', labeler: 'phrase', all: false });
    expect(() => clusters.parseOptions({ labeler: 'nope' })).toThrow(/unknown labeler "nope"/);
  });

  it('flag readers say which flag and what was wrong', () => {
    expect(numberFlag('7', 'top', { min: 1, integer: true })).toBe(7);
    expect(numberFlag(undefined, 'top')).toBeUndefined();
    expect(() => numberFlag('7.5', 'top', { min: 1, integer: true })).toThrow(/--top must be a whole number ≥ 1/);
    expect(() => numberFlag('x', 'threshold', { min: 0, max: 1 })).toThrow(/--threshold must be a number from 0 to 1/);
    expect(choiceFlag(undefined, 'method', ['auto', 'lsh'] as const, 'auto')).toBe('auto');
    expect(() => choiceFlag('fast', 'method', ['auto', 'lsh'] as const, 'auto')).toThrow(/unknown method "fast"/);
  });
});
